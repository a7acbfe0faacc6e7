package io.jetstreambridge.bench;

import io.nats.client.Connection;
import io.nats.client.JetStream;
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
 */
final class RawBaselines {

    static final int MESSAGE_SIZE = 256;
    static final int WINDOW = 1024;
    static final int FETCH = 500;
    private static final String STREAM = "bench-raw";
    private static final String SUBJECT = "benchraw.events";

    record Result(double syncPublish, double asyncPublish, double fetchAck) {
    }

    private final Connection connection;

    RawBaselines(Connection connection) {
        this.connection = connection;
    }

    Result run(BenchSettings settings) throws Exception {
        JetStreamManagement jsm = connection.jetStreamManagement();
        deleteStream(jsm);
        jsm.addStream(StreamConfiguration.builder().name(STREAM).subjects(SUBJECT).storageType(StorageType.File)
                .duplicateWindow(Duration.ofMinutes(2)).build());
        try {
            JetStream js = connection.jetStream();
            byte[] body = new byte[MESSAGE_SIZE];
            java.util.Arrays.fill(body, (byte) 'x');
            syncPublish(js, body, "warm-", settings.syncPublishes() / 5);
            long start = System.nanoTime();
            syncPublish(js, body, "sync-", settings.syncPublishes());
            double sync = Figures.perSecond(settings.syncPublishes(), System.nanoTime() - start);

            asyncPublish(js, body, "warm-async-", settings.asyncPublishes() / 5);
            jsm.purgeStream(STREAM);
            start = System.nanoTime();
            asyncPublish(js, body, "async-", settings.asyncPublishes());
            double async = Figures.perSecond(settings.asyncPublishes(), System.nanoTime() - start);

            double fetch = fetchAndAck(jsm, js, settings.asyncPublishes());
            return new Result(sync, async, fetch);
        } finally {
            deleteStream(jsm);
        }
    }

    private static void syncPublish(JetStream js, byte[] body, String prefix, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            js.publish(SUBJECT, body, PublishOptions.builder().messageId(prefix + i).expectedStream(STREAM).build());
        }
    }

    /** At most {@link #WINDOW} unacknowledged publishes in flight, oldest awaited first. */
    static void asyncPublish(JetStream js, byte[] body, String prefix, int count) {
        ArrayDeque<CompletableFuture<PublishAck>> inFlight = new ArrayDeque<>(WINDOW);
        for (int i = 0; i < count; i++) {
            if (inFlight.size() == WINDOW) {
                inFlight.poll().join();
            }
            inFlight.add(js.publishAsync(SUBJECT, body,
                    PublishOptions.builder().messageId(prefix + i).expectedStream(STREAM).build()));
        }
        inFlight.forEach(CompletableFuture::join);
    }

    private double fetchAndAck(JetStreamManagement jsm, JetStream js, int count) throws Exception {
        jsm.addOrUpdateConsumer(STREAM, ConsumerConfiguration.builder().durable("raw").filterSubject(SUBJECT).ackPolicy(AckPolicy.Explicit)
                .ackWait(Duration.ofSeconds(60)).maxAckPending(20_000).build());
        JetStreamSubscription sub = js.subscribe(SUBJECT, PullSubscribeOptions.bind(STREAM, "raw"));
        int received = 0;
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
