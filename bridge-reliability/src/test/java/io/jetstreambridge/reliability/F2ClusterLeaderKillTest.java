package io.jetstreambridge.reliability;

import static org.awaitility.Awaitility.await;

import io.jetstreambridge.testing.NatsCluster;
import io.jetstreambridge.testing.NatsServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * F2: a three-node JetStream cluster with the stream replicated three times; mid-load the stream's leader is
 * killed (-9) and restarted, then a follower.
 */
@Tag("full")
class F2ClusterLeaderKillTest {

    @Test
    void killingTheStreamLeaderThenAFollowerLosesAndDoublesNothing() {
        long started = System.currentTimeMillis();
        FaultScale scale = FaultScale.current();
        int orders = scale.orders();
        NatsCluster cluster = NatsCluster.builder().size(3).start();
        Map<String, String> replicated = Map.of("jetstream.bridge.stream.replicas", "3");
        try (Pipeline run = Pipeline.builder("f2", cluster.urls()).natsSettings(replicated).start()) {
            run.startConsumer("consumer", Map.of());
            // a cluster fresh from start-up may not answer the JetStream API for a few seconds, and an application
            // whose provisioning gets no answer does not start: the publisher starts once the R3 stream has a leader
            await().atMost(Duration.ofMinutes(1)).until(() -> run.consumerBacklog() >= 0);
            cluster.streamLeader(Pipeline.STREAM);
            // slower than usual, so that both kills land while business transactions commit
            run.startPublisher("publisher", "f2", orders, Map.of("fault.rate", "50"));
            await().atMost(Duration.ofMinutes(3)).until(() -> run.committed() >= orders / 4);

            NatsServer leader = cluster.streamLeader(Pipeline.STREAM);
            int leaderIndex = cluster.indexOf(leader);
            Instant leaderKilled = Instant.now();
            cluster.kill(leaderIndex);
            Duration leaderRecovery = Recovery.measure(leaderKilled, run::observedRows, Duration.ofMinutes(2));
            cluster.restart(leaderIndex);
            String newLeader = cluster.streamLeader(Pipeline.STREAM).serverName().orElse("?");

            await().atMost(Duration.ofMinutes(3)).until(() -> run.committed() >= orders / 2);
            NatsServer currentLeader = cluster.streamLeader(Pipeline.STREAM);
            int followerIndex = (cluster.indexOf(currentLeader) + 1) % cluster.size();
            String follower = cluster.node(followerIndex).serverName().orElse("?");
            Instant followerKilled = Instant.now();
            cluster.kill(followerIndex);
            Duration followerRecovery = Recovery.measure(followerKilled, run::observedRows, Duration.ofMinutes(2));
            cluster.restart(followerIndex);

            Pipeline.Tally tally = run.settle(scale.settle(), id -> false);
            FaultRow row = tally.row("F2", "3-node cluster, R3 stream: leader killed (-9), then a follower",
                    "leader " + Recovery.format(leaderRecovery) + ", follower " + Recovery.format(followerRecovery),
                    "the stream leader " + leader.serverName().orElse("?") + " was killed with SIGKILL after "
                            + orders / 4 + " commits (new leader " + newLeader + ") and restarted; after "
                            + orders / 2 + " commits the follower " + follower + " was killed and restarted. "
                            + "Both applications list all three servers.");
            FaultAssertions.recordAndCheck(row, tally, run);
        } finally {
            cluster.close();
            ReliabilityReport.duration("F2", System.currentTimeMillis() - started);
        }
    }
}
