package io.jetstreambridge.bench;

import io.jetstreambridge.testing.NatsCluster;
import io.jetstreambridge.testing.NatsServer;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * R3: what replicas 3 cost the stream's leader and its followers, for docs/scaling.md's model. A 3-node cluster of
 * the test fixture's ({@link NatsCluster}, on loopback, on the same cores as everything else), one stream with
 * replicas 1 and one with replicas 3; raw pipelined publishes ({@link RawBaselines#asyncPublish}) and
 * {@code fetch(500)} + {@code ack()} through a connection to each stream's leader, in alternating rounds. CPU per
 * message of each node from {@code /proc}; the factors are ratios of CPU per message taken in the same rounds, so the
 * machine's load weighs less on them than on the figures themselves.
 */
final class ReplicaBench {

    private static final int ROUNDS = 3;
    private static final double TICKS = 100.0;

    /**
     * @param leaderR1   CPU µs per message (stored, delivered and acked) of the replicas-1 stream's node
     * @param leaderR3   the same of the replicas-3 stream's leader
     * @param followerR3 the same of a replicas-3 follower (the two followers' mean)
     */
    record Result(int messages, double leaderR1, double leaderR3, double followerR3) {

        double leaderFactor() {
            return leaderR3 / leaderR1;
        }

        double followerFactor() {
            return followerR3 / leaderR1;
        }
    }

    /** Runs {@code messagesPerRound} messages per stream and round. */
    Result run(int messagesPerRound) throws Exception {
        try (NatsCluster cluster = NatsCluster.builder().size(3).start()) {
            Map<NatsServer, Long> pids = pids(cluster);
            Stream r1 = Stream.create(cluster, "bench-r1", 1);
            Stream r3 = Stream.create(cluster, "bench-r3", 3);
            try {
                r1.publishAndFetch(pids, "warm", messagesPerRound / 5);
                r3.publishAndFetch(pids, "warm", messagesPerRound / 5);
                double[] leader1 = new double[ROUNDS];
                double[] leader3 = new double[ROUNDS];
                double[] follower3 = new double[ROUNDS];
                for (int round = 0; round < ROUNDS; round++) {
                    Map<NatsServer, Double> used1;
                    Map<NatsServer, Double> used3;
                    if (round % 2 == 0) {
                        used1 = r1.publishAndFetch(pids, "r" + round, messagesPerRound);
                        used3 = r3.publishAndFetch(pids, "r" + round, messagesPerRound);
                    } else {
                        used3 = r3.publishAndFetch(pids, "r" + round, messagesPerRound);
                        used1 = r1.publishAndFetch(pids, "r" + round, messagesPerRound);
                    }
                    leader1[round] = used1.get(r1.leader) / messagesPerRound;
                    leader3[round] = used3.get(r3.leader) / messagesPerRound;
                    follower3[round] = used3.entrySet().stream().filter(e -> e.getKey() != r3.leader)
                            .mapToDouble(Map.Entry::getValue).average().orElse(0) / messagesPerRound;
                }
                return new Result(messagesPerRound, PublishRounds.median(leader1), PublishRounds.median(leader3),
                        PublishRounds.median(follower3));
            } finally {
                r1.close();
                r3.close();
            }
        }
    }

    /** One stream, a connection to its leader, and a pull consumer on it. */
    private static final class Stream implements AutoCloseable {

        private final String name;
        private final String subject;
        private final NatsServer leader;
        private final Connection connection;
        private final JetStream js;
        private final byte[] body = new byte[RawBaselines.MESSAGE_SIZE];

        private Stream(String name, String subject, NatsServer leader, Connection connection) throws IOException {
            this.name = name;
            this.subject = subject;
            this.leader = leader;
            this.connection = connection;
            this.js = connection.jetStream();
            Arrays.fill(body, (byte) 'x');
        }

        static Stream create(NatsCluster cluster, String name, int replicas) throws Exception {
            String subject = name.replace("-", "") + ".events";
            try (Connection any = cluster.connect()) {
                JetStreamManagement jsm = any.jetStreamManagement();
                // work-queue retention, as the bridge's stream: an acked message is removed, on every replica
                jsm.addStream(StreamConfiguration.builder().name(name).subjects(subject).replicas(replicas)
                        .retentionPolicy(RetentionPolicy.WorkQueue).storageType(StorageType.File)
                        .duplicateWindow(Duration.ofMinutes(2)).build());
            }
            NatsServer leader = cluster.streamLeader(name);
            Stream stream = new Stream(name, subject, leader, leader.connect());
            stream.connection.jetStreamManagement().addOrUpdateConsumer(name, ConsumerConfiguration.builder()
                    .durable("raw").filterSubject(subject).ackPolicy(AckPolicy.Explicit)
                    .ackWait(Duration.ofSeconds(60)).maxAckPending(20_000).build());
            return stream;
        }

        /** Publishes and fetches {@code count} messages; returns each node's CPU µs over it. */
        Map<NatsServer, Double> publishAndFetch(Map<NatsServer, Long> pids, String prefix, int count)
                throws Exception {
            Map<NatsServer, Long> before = ticks(pids);
            RawBaselines.asyncPublish(js, subject, name, body, name + "-" + prefix + "-", count);
            JetStreamSubscription sub = js.subscribe(subject, PullSubscribeOptions.bind(name, "raw"));
            int received = 0;
            while (received < count) {
                List<Message> batch = sub.fetch(RawBaselines.FETCH, Duration.ofSeconds(2));
                if (batch.isEmpty()) {
                    throw new IllegalStateException("R3 fetch on " + name + ": nothing after " + received);
                }
                batch.forEach(Message::ack);
                received += batch.size();
            }
            connection.flush(Duration.ofSeconds(10));
            // the acks are replicated after they reach the leader: wait until the stream holds no message
            BenchApp.waitFor(() -> messages() == 0, Duration.ofSeconds(30));
            sub.unsubscribe();
            Map<NatsServer, Long> after = ticks(pids);
            Map<NatsServer, Double> used = new HashMap<>();
            after.forEach((node, ticks) -> used.put(node, (ticks - before.get(node)) / TICKS * 1_000_000));
            return used;
        }

        private long messages() {
            try {
                return connection.jetStreamManagement().getStreamInfo(name).getStreamState().getMsgCount();
            } catch (Exception e) {
                throw new IllegalStateException("could not read stream " + name, e);
            }
        }

        @Override
        public void close() {
            try {
                connection.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Each node's process: a child of this JVM started with the node's config file. */
    private static Map<NatsServer, Long> pids(NatsCluster cluster) {
        Map<NatsServer, Long> pids = new HashMap<>();
        List<ProcessHandle> children = ProcessHandle.current().children().toList();
        for (NatsServer node : cluster.nodes()) {
            String config = node.configFile().toString();
            children.stream().filter(p -> p.info().arguments().map(a -> Arrays.asList(a).contains(config))
                    .orElse(false)).findFirst().ifPresent(p -> pids.put(node, p.pid()));
        }
        if (pids.size() != cluster.size()) {
            throw new IllegalStateException("R3: found " + pids.size() + " of " + cluster.size() + " nodes' processes");
        }
        return pids;
    }

    /** User + system ticks so far of each node. */
    private static Map<NatsServer, Long> ticks(Map<NatsServer, Long> pids) {
        Map<NatsServer, Long> ticks = new HashMap<>();
        pids.forEach((node, pid) -> {
            try {
                String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks.put(node, Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
            } catch (IOException e) {
                throw new IllegalStateException("R3: cannot read the CPU of " + node, e);
            }
        });
        return ticks;
    }
}
