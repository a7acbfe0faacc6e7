package io.jetstreambridge.core.health;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.Durations;
import io.jetstreambridge.config.NatsSettings;
import io.jetstreambridge.core.connection.JetStreamErrors;
import io.jetstreambridge.core.consume.UndeliverableMessages;
import io.jetstreambridge.core.topology.SubjectPatterns;
import io.jetstreambridge.topology.Peers;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * What the server says about this application's connection, stream and durable consumers: the connection state and
 * a timed round trip, then one {@code STREAM.INFO} (filtered to the dead-letter subject for its count; every peer's
 * subjects must be on the stream) and, with the consumer on, for each peer's durable one {@code CONSUMER.INFO} for
 * the backlog and one {@code STREAM.MSG.GET} (more only when there are) for the messages the server will not
 * deliver again ({@link UndeliverableMessages}). Each NATS request waits at most
 * {@code health.check-timeout}. The readiness check and the admin command line's {@code health} both ask it, so
 * they report the same keys.
 */
public final class StreamStateProbe {

    static final int UNDELIVERABLE_COUNTED = 100;

    private final BridgeConfig config;
    private final Peers peers;
    private final Topology topology;
    private final Duration timeout;

    public StreamStateProbe(BridgeConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.peers = config.peers();
        this.topology = peers.primary();
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

    /** One STREAM.INFO (filtered to the DLQ subject for its count) and, with the consumer on, each durable's. */
    void stream(HealthContribution.Builder health, Connection connection) {
        JetStreamManagement jsm;
        StreamInfo info;
        try {
            jsm = connection.jetStreamManagement(JetStreamOptions.builder().requestTimeout(timeout).build());
            info = topology.dlqEnabled()
                    ? jsm.getStreamInfo(topology.stream(), StreamInfoOptions.filterSubjects(topology.dlqSubject()))
                    : jsm.getStreamInfo(topology.stream());
        } catch (JetStreamApiException e) {
            health.down(JetStreamErrors.is(e, JetStreamErrors.STREAM_NOT_FOUND)
                    ? "stream '" + topology.stream() + "' does not exist"
                    : "JetStream refused stream info of '" + topology.stream() + "': " + e.getMessage());
            return;
        } catch (IOException e) {
            health.down("no answer to stream info of '" + topology.stream() + "' within "
                    + Durations.format(timeout) + ": " + HealthContribution.describe(e));
            return;
        }
        List<String> present = info.getConfiguration().getSubjects();
        List<String> missing = peers.streamSubjects().stream()
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
            consumers(health, jsm);
        }
    }

    /**
     * Every peer's durable: one {@code CONSUMER.INFO} each, its figures under its keys ({@link ConsumerHealthKeys}:
     * {@code consumer-*} for the primary peer's durable, as with one peer, {@code consumer-{peer}-*} for each
     * further one). A missing durable makes it DOWN and is listed under {@code consumers-missing}.
     */
    private void consumers(HealthContribution.Builder health, JetStreamManagement jsm) {
        List<String> missing = new ArrayList<>();
        for (Topology peer : peers.topologies()) {
            String prefix = ConsumerHealthKeys.prefix(peers, peer);
            DurableState state = durable(health, jsm, peer, prefix);
            if (state == null) {
                continue;
            }
            if (state.missing()) {
                missing.add(peer.durableName());
                health.down("durable consumer '" + peer.durableName() + "' does not exist on stream '"
                        + topology.stream() + "'");
                continue;
            }
            health.data(prefix + "-pending", state.pending())
                    .data(prefix + "-ack-pending", state.ackPending())
                    .data(prefix + "-redelivered", state.redelivered());
            if (state.undeliverable() != null) {
                health.data(prefix + "-undeliverable", (long) state.undeliverable().size());
                state.undeliverable().stream().findFirst()
                        .ifPresent(first -> health.data(prefix + "-undeliverable-first-sequence", first));
            }
            if (state.undeliverableError() != null) {
                health.data(prefix + "-undeliverable-error", state.undeliverableError());
            }
        }
        if (!missing.isEmpty() && peers.topologies().size() > 1) {
            health.data("consumers-missing", String.join(",", missing));
        }
    }

    /** One durable's figures; null (with the error in the data) when the server gave no usable answer. */
    private DurableState durable(HealthContribution.Builder health, JetStreamManagement jsm, Topology peer,
                                 String prefix) {
        try {
            ConsumerInfo info = jsm.getConsumerInfo(peer.stream(), peer.durableName());
            List<Long> undeliverable = null;
            String undeliverableError = null;
            try {
                undeliverable = new UndeliverableMessages(jsm, peer).find(info, UNDELIVERABLE_COUNTED);
            } catch (JetStreamApiException | IOException e) {
                undeliverableError = HealthContribution.describe(e);
            }
            return new DurableState(peer.durableName(), false, info.getNumPending() + info.getNumAckPending(),
                    info.getNumAckPending(), info.getRedelivered(), undeliverable, undeliverableError);
        } catch (JetStreamApiException e) {
            if (JetStreamErrors.is(e, JetStreamErrors.CONSUMER_NOT_FOUND)) {
                return new DurableState(peer.durableName(), true, 0, 0, 0, List.of(), null);
            }
            health.data(prefix + "-info-error", HealthContribution.describe(e));
        } catch (IOException e) {
            health.data(prefix + "-info-error", HealthContribution.describe(e));
        }
        return null;
    }

    /**
     * What the server says about one durable. Undeliverable: messages on its subject the server gave up on
     * ({@code max_deliver} without an ack), counted up to {@link #UNDELIVERABLE_COUNTED}, in stream order; null
     * when they could not be counted. Readiness stays UP for them, as with dead letters: the application can work;
     * the messages wait for an operator (or the MAX_DELIVERIES watch).
     */
    private record DurableState(String durable, boolean missing, long pending, long ackPending, long redelivered,
                                List<Long> undeliverable, String undeliverableError) {
    }
}
