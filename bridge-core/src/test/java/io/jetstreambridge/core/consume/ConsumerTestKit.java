package io.jetstreambridge.core.consume;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.topology.Topology;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.StreamInfoOptions;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.spi.JsonProvider;

import java.io.IOException;
import java.time.Clock;
import java.util.Set;

/** Builds the consumer side the way the runtime does, for engine and permission tests. */
final class ConsumerTestKit {

    static final String STREAM = "jetstream-bridge-stream";
    static final String DURABLE = "orders-workers";
    static final java.util.concurrent.ScheduledExecutorService KEEP_ALIVE_SCHEDULER =
            java.util.concurrent.Executors.newScheduledThreadPool(1, r -> {
                Thread t = new Thread(r, "test-keep-alive");
                t.setDaemon(true);
                return t;
            });

    private ConsumerTestKit() {
    }

    /** A processor with the real classifier and dead-letter publisher of this configuration. */
    static MessageProcessor processor(BridgeConfig config, Connection connection, DeliveryHandler handler) {
        JsonProvider json = JsonProvider.provider();
        var jsonb = JsonbBuilder.create();
        Topology topology = config.topology();
        return new MessageProcessor(topology, new EnvelopeCodec(json), handler,
                new FailureClassifier(config.consumer().maxDeliver(), config.consumer().backoff(), Set.of()),
                new DeadLetterPublisher(jetStream(connection), topology, json, Clock.systemUTC()),
                (payload, type) -> jsonb.fromJson(payload.toString(), type),
                new KeepAlive(KEEP_ALIVE_SCHEDULER, KeepAlive.effectiveAckWait(config.consumer()),
                        config.consumer().processingTimeout()));
    }

    static JetStream jetStream(Connection connection) {
        try {
            return connection.jetStream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ConsumerInfo consumer(JetStreamManagement admin) throws Exception {
        return admin.getConsumerInfo(STREAM, DURABLE);
    }

    /** Messages of the consumer not yet acked: waiting for delivery plus delivered and unacked. */
    static long unfinished(JetStreamManagement admin) throws Exception {
        ConsumerInfo info = consumer(admin);
        return info.getNumPending() + info.getNumAckPending();
    }

    static long storedOn(JetStreamManagement admin, String subject) throws Exception {
        return admin.getStreamInfo(STREAM, StreamInfoOptions.filterSubjects(subject)).getStreamState()
                .getSubjectMap().getOrDefault(subject, 0L);
    }
}
