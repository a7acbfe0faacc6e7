package io.jetstreambridge.bench;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * B0: the ceiling. Plain jnats on the same server, with what the bridge also sends: a {@code Nats-Msg-Id} per
 * message, file storage, {@link #MESSAGE_SIZE}-byte bodies. Its own stream, deleted afterwards.
 *
 * <p>Also the nats-server's CPU per stored and per delivered message ({@link #stored()}, {@link #delivered()}): the
 * pipelined publishes and the fetches with acks are each measured with {@link CpuSplit}, for docs/scaling.md. The
 * measurement reads {@code /proc} before and after a timed stretch and adds nothing inside it.
 */
final class RawBaselines implements AutoCloseable {

    static final int MESSAGE_SIZE = 256;
    static final int WINDOW = 1024;
    static final int FETCH = 500;
    private static final String STREAM = "bench-raw";
    private static final String SUBJECT = "benchraw.events";

    record Result(double syncPublish, double asyncPublish, double fetchAck) {
    }

    private final Connection connection;
    private final long natsServerPid;
    private final byte[] body = new byte[MESSAGE_SIZE];
    private JetStream js;
    private Usage stored;
    private Usage delivered;

    /** @param natsServerPid the bench's nats-server: {@link #stored()} and {@link #delivered()} give its CPU */
    RawBaselines(Connection connection, long natsServerPid) {
        this.connection = connection;
        this.natsServerPid = natsServerPid;
    }

    /** CPU over every pipelined publish round so far (events = messages stored), or null before the first. */
    Usage stored() {
        return stored;
    }

    /** CPU over every fetch + ack so far (events = messages delivered and acked), or null before the first. */
    Usage delivered() {
        return delivered;
    }

    private Usage add(Usage sum, CpuSplit cpu, long messages) {
        Usage used = new Usage(messages, cpu.end(), StatementStats.Result.EMPTY);
        return sum == null ? used : sum.plus(used);
    }

    /** Creates the raw stream; {@link #close()} deletes it. */
    RawBaselines open() throws Exception {
        JetStreamManagement jsm = connection.jetStreamManagement();
        deleteStream(jsm);
        jsm.addStream(StreamConfiguration.builder().name(STREAM).subjects(SUBJECT).storageType(StorageType.File)
                .duplicateWindow(Duration.ofMinutes(2)).build());
        js = connection.jetStream();
        java.util.Arrays.fill(body, (byte) 'x');
        return this;
    }

    /** Synchronous publishes per second over {@code count} messages. */
    double syncRound(String prefix, int count) throws Exception {
        long start = System.nanoTime();
        syncPublish(js, body, prefix, count);
        return Figures.perSecond(count, System.nanoTime() - start);
    }

    /** Pipelined publishes per second over {@code count} messages. */
    double asyncRound(String prefix, int count) {
        CpuSplit cpu = CpuSplit.begin(-1, natsServerPid);
        long start = System.nanoTime();
        asyncPublish(js, body, prefix, count);
        double rate = Figures.perSecond(count, System.nanoTime() - start);
        stored = add(stored, cpu, count);
        return rate;
    }

    /** Fetches and acks {@code count} of the messages the rounds stored, {@code FETCH} at a time. */
    double fetchAndAck(int count) throws Exception {
        return fetchAndAck(connection.jetStreamManagement(), js, count);
    }

    /**
     * Empties the raw stream, stores {@code count} fresh messages and fetches and acks them: the raw figure taken
     * right next to a bridge figure, so the machine's drift between the two stays out of their ratio.
     */
    double fetchAndAckFresh(String prefix, int count) throws Exception {
        JetStreamManagement jsm = connection.jetStreamManagement();
        jsm.purgeStream(STREAM);
        try {
            jsm.deleteConsumer(STREAM, "raw");
        } catch (JetStreamApiException notThere) {
            // first use: the durable is created by the fetch
        }
        asyncPublish(js, body, prefix, count);
        return fetchAndAck(jsm, js, count);
    }

    @Override
    public void close() throws Exception {
        deleteStream(connection.jetStreamManagement());
    }

    private static void syncPublish(JetStream js, byte[] body, String prefix, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            js.publish(SUBJECT, body, PublishOptions.builder().messageId(prefix + i).expectedStream(STREAM).build());
        }
    }

    /** At most {@link #WINDOW} unacknowledged publishes in flight, oldest awaited first. */
    static void asyncPublish(JetStream js, byte[] body, String prefix, int count) {
        asyncPublish(js, SUBJECT, STREAM, body, prefix, count);
    }

    /** As {@link #asyncPublish(JetStream, byte[], String, int)}, to another stream (R3). */
    static void asyncPublish(JetStream js, String subject, String stream, byte[] body, String prefix, int count) {
        ArrayDeque<CompletableFuture<PublishAck>> inFlight = new ArrayDeque<>(WINDOW);
        for (int i = 0; i < count; i++) {
            if (inFlight.size() == WINDOW) {
                inFlight.poll().join();
            }
            inFlight.add(js.publishAsync(subject, body,
                    PublishOptions.builder().messageId(prefix + i).expectedStream(stream).build()));
        }
        inFlight.forEach(CompletableFuture::join);
    }

    private double fetchAndAck(JetStreamManagement jsm, JetStream js, int count) throws Exception {
        jsm.addOrUpdateConsumer(STREAM, ConsumerConfiguration.builder().durable("raw").filterSubject(SUBJECT).ackPolicy(AckPolicy.Explicit)
                .ackWait(Duration.ofSeconds(60)).maxAckPending(20_000).build());
        JetStreamSubscription sub = js.subscribe(SUBJECT, PullSubscribeOptions.bind(STREAM, "raw"));
        int received = 0;
        CpuSplit cpu = CpuSplit.begin(-1, natsServerPid);
        long start = System.nanoTime();
        while (received < count) {
            List<Message> batch = sub.fetch(FETCH, Duration.ofSeconds(2));
            if (batch.isEmpty()) {
                throw new IllegalStateException("B0 fetch: nothing more after " + received + " of " + count);
            }
            for (Message message : batch) {
                message.ack();
            }
            received += batch.size();
        }
        connection.flush(Duration.ofSeconds(10)); // the acks are on the wire
        double rate = Figures.perSecond(received, System.nanoTime() - start);
        delivered = add(delivered, cpu, received);
        sub.unsubscribe();
        return rate;
    }

    private static void deleteStream(JetStreamManagement jsm) {
        try {
            jsm.deleteStream(STREAM);
        } catch (Exception ignored) {
            // not there
        }
    }
}
