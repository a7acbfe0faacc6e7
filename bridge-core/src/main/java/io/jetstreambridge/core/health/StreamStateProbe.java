package io.jetstreambridge.core.health;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.Durations;
import io.jetstreambridge.config.NatsSettings;
import io.jetstreambridge.core.consume.UndeliverableMessages;
import io.jetstreambridge.core.topology.SubjectPatterns;
import io.jetstreambridge.topology.Topology;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamInfoOptions;
import io.nats.client.api.StreamState;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * What the server says about this application's connection, stream and durable consumer: the connection state and
 * a timed round trip, then one {@code STREAM.INFO} (filtered to the dead-letter subject for its count) and, with
 * the consumer on, one {@code CONSUMER.INFO} for the backlog and one {@code STREAM.MSG.GET} (more only when there
 * are) for the messages the server will not deliver again ({@link UndeliverableMessages}). Each NATS request waits at most
 * {@code health.check-timeout}. The readiness check and the admin command line's {@code health} both ask it, so
 * they report the same keys.
 */
public final class StreamStateProbe {

    static final int STREAM_NOT_FOUND = 10059;
    static final int CONSUMER_NOT_FOUND = 10014;
    static final int UNDELIVERABLE_COUNTED = 100;

    private final BridgeConfig config;
    private final Topology topology;
    private final Duration timeout;

    public StreamStateProbe(BridgeConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.topology = config.topology();
        this.timeout = config.health().checkTimeout();
    }

    /** The round trip and, when the server answers, the stream and consumer: DOWN with the reasons otherwise. */
    public HealthContribution inspect(Connection connection) {
        HealthContribution.Builder health = HealthContribution.builder().data("stream", topology.stream());
        if (answers(health, connection)) {
            stream(health, connection);
        }
        return health.build();
    }

    /** Connection state, server and round-trip time; DOWN unless connected and the server answers a ping. */
    boolean answers(HealthContribution.Builder health, Connection connection) {
        Connection.Status status = connection.getStatus();
        health.data("connection", status.name());
        String url = connection.getConnectedUrl();
        if (url != null) {
            health.data("server", NatsSettings.redactUrls(url));
        }
        if (status != Connection.Status.CONNECTED) {
            health.down("NATS connection is " + status);
            return false;
        }
        long started = System.nanoTime();
        try {
            connection.flush(timeout);
            health.data("rtt-ms", (System.nanoTime() - started) / 1_000_000);
            return true;
        } catch (TimeoutException e) {
            health.down("NATS server did not answer a ping within " + Durations.format(timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            health.down("interrupted while waiting for the NATS server's answer");
        } catch (RuntimeException e) {
            health.down("NATS round trip failed: " + HealthContribution.describe(e));
        }
        return false;
    }

    /** One STREAM.INFO (filtered to the DLQ subject for its count) and, with the consumer on, one CONSUMER.INFO. */
    void stream(HealthContribution.Builder health, Connection connection) {
        JetStreamManagement jsm;
        StreamInfo info;
        try {
            jsm = connection.jetStreamManagement(JetStreamOptions.builder().requestTimeout(timeout).build());
            info = topology.dlqEnabled()
                    ? jsm.getStreamInfo(topology.stream(), StreamInfoOptions.filterSubjects(topology.dlqSubject()))
                    : jsm.getStreamInfo(topology.stream());
        } catch (JetStreamApiException e) {
            health.down(e.getApiErrorCode() == STREAM_NOT_FOUND
                    ? "stream '" + topology.stream() + "' does not exist"
                    : "JetStream refused stream info of '" + topology.stream() + "': " + e.getMessage());
            return;
        } catch (IOException e) {
            health.down("no answer to stream info of '" + topology.stream() + "' within "
                    + Durations.format(timeout) + ": " + HealthContribution.describe(e));
            return;
        }
        List<String> present = info.getConfiguration().getSubjects();
        List<String> missing = topology.streamSubjects().stream()
                .filter(s -> present.stream().noneMatch(p -> SubjectPatterns.covers(p, s)))
                .toList();
        if (!missing.isEmpty()) {
            health.data("stream-subjects-missing", String.join(",", missing))
                    .down("stream '" + topology.stream() + "' lacks the subjects " + missing);
        }
        StreamState state = info.getStreamState();
        health.data("stream-messages", state.getMsgCount());
        if (topology.dlqEnabled()) {
            Map<String, Long> counts = state.getSubjects() == null ? Map.of() : state.getSubjectMap();
            health.data("dlq-messages", counts.getOrDefault(topology.dlqSubject(), 0L));
        }
        if (config.consumer().enabled()) {
            consumerInfo(health, jsm);
        }
    }

    /**
     * Messages on the consumer's subject the server gave up on ({@code max_deliver} without an ack): counted up to
     * {@link #UNDELIVERABLE_COUNTED}, with the first one's stream sequence. Readiness stays UP, as with dead
     * letters: the application can work; the messages wait for an operator (or the MAX_DELIVERIES watch).
     */
    private void undeliverable(HealthContribution.Builder health, JetStreamManagement jsm, ConsumerInfo info) {
        try {
            List<Long> found = new UndeliverableMessages(jsm, topology).find(info, UNDELIVERABLE_COUNTED);
            health.data("consumer-undeliverable", (long) found.size());
            if (!found.isEmpty()) {
                health.data("consumer-undeliverable-first-sequence", found.get(0));
            }
        } catch (JetStreamApiException | IOException e) {
            health.data("consumer-undeliverable-error", HealthContribution.describe(e));
        }
    }

    private void consumerInfo(HealthContribution.Builder health, JetStreamManagement jsm) {
        try {
            ConsumerInfo info = jsm.getConsumerInfo(topology.stream(), topology.durableName());
            health.data("consumer-pending", info.getNumPending() + info.getNumAckPending())
                    .data("consumer-ack-pending", info.getNumAckPending())
                    .data("consumer-redelivered", info.getRedelivered());
            undeliverable(health, jsm, info);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == CONSUMER_NOT_FOUND) {
                health.down("durable consumer '" + topology.durableName() + "' does not exist on stream '"
                        + topology.stream() + "'");
            } else {
                health.data("consumer-info-error", HealthContribution.describe(e));
            }
        } catch (IOException e) {
            health.data("consumer-info-error", HealthContribution.describe(e));
        }
    }
}
