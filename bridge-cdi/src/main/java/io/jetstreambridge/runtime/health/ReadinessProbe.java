package io.jetstreambridge.runtime.health;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.Durations;
import io.jetstreambridge.config.NatsSettings;
import io.jetstreambridge.runtime.consume.ConsumerEngine;
import io.jetstreambridge.runtime.topology.ProvisioningReport;
import io.jetstreambridge.runtime.topology.SubjectPatterns;
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
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Whether the bridge can do its work now: NATS connected and answering a ping; with auto-provision on, the stream
 * exists with this application's subjects (one {@code STREAM.INFO}, which also counts the dead-letter subject, and
 * one {@code CONSUMER.INFO} for the backlog); and the consumer, when on, started and not recovering. With
 * auto-provision off it makes no {@code $JS.API} call at all: a user without JetStream API permissions stays
 * ready. Each NATS request waits at most {@code health.check-timeout}.
 */
final class ReadinessProbe {

    static final int STREAM_NOT_FOUND = 10059;
    static final int CONSUMER_NOT_FOUND = 10014;

    private final BridgeConfig config;
    private final Topology topology;
    private final Duration timeout;

    ReadinessProbe(BridgeConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.topology = config.topology();
        this.timeout = config.health().checkTimeout();
    }

    /**
     * @param connection          the open connection, empty before the first (lazy) connect succeeded
     * @param provisioning        the last provisioning run's report (auto-provision on)
     * @param provisioningFailure why the last provisioning run failed, if no run succeeded since
     * @param engine              the running consumer, empty when off or not started
     * @param lastConnectionError the last error reported on the connection (why a lazy connect is refused)
     */
    HealthContribution check(Optional<Connection> connection, Optional<ProvisioningReport> provisioning,
                             Optional<RuntimeException> provisioningFailure, Optional<ConsumerEngine> engine,
                             Optional<String> lastConnectionError) {
        HealthContribution.Builder health = HealthContribution.builder()
                .data("stream", topology.stream())
                .data("auto-provision", config.autoProvision());
        Connection answering = connection.filter(c -> answers(health, c)).orElse(null);
        if (connection.isEmpty()) {
            String servers = NatsSettings.redactUrls(String.join(",", config.nats().urls()));
            health.data("connection", "NOT_CONNECTED").data("servers", servers);
            lastConnectionError.ifPresent(error -> health.data("last-error", error));
            // a refusal (wrong credentials, untrusted certificate) must not look like a server still starting
            health.down("NATS is not connected yet (lazy connect keeps trying " + servers + ")"
                    + lastConnectionError.map(error -> "; last error: " + error).orElse(""));
        }
        if (answering != null && config.autoProvision()) {
            provisioning(health, provisioning, provisioningFailure);
            stream(health, answering);
        }
        if (config.consumer().enabled()) {
            consumer(health, engine);
        }
        return health.build();
    }

    /** Connection state, server and round-trip time; DOWN unless connected and the server answers a ping. */
    private boolean answers(HealthContribution.Builder health, Connection connection) {
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

    private void provisioning(HealthContribution.Builder health, Optional<ProvisioningReport> report,
                              Optional<RuntimeException> failure) {
        if (failure.isPresent()) {
            health.down("provisioning failed: " + HealthContribution.describe(failure.get()));
        } else if (report.isEmpty()) {
            health.down("stream '" + topology.stream() + "' is not provisioned yet");
        }
        report.filter(ProvisioningReport::drifted).ifPresent(r -> health.data("provisioning-drift",
                String.join("; ", concat(r.streamDrift(), r.consumerDrift()))));
    }

    /** One STREAM.INFO (filtered to the DLQ subject for its count) and, with the consumer on, one CONSUMER.INFO. */
    private void stream(HealthContribution.Builder health, Connection connection) {
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

    private void consumerInfo(HealthContribution.Builder health, JetStreamManagement jsm) {
        try {
            ConsumerInfo info = jsm.getConsumerInfo(topology.stream(), topology.durableName());
            health.data("consumer-pending", info.getNumPending() + info.getNumAckPending());
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

    private void consumer(HealthContribution.Builder health, Optional<ConsumerEngine> engine) {
        health.data("consumer", topology.durableName());
        if (engine.isEmpty()) {
            health.data("consumer-state", "NOT_STARTED").down("consumer '" + topology.durableName()
                    + "' is not started");
            return;
        }
        ConsumerEngine.State state = engine.get().state();
        health.data("consumer-state", state.name());
        switch (state) {
            case RUNNING -> { }
            case STARTING -> health.down("consumer '" + topology.durableName() + "' is starting");
            case STOPPED -> health.down("consumer '" + topology.durableName() + "' is stopped");
            case RECOVERING -> health.down("consumer '" + topology.durableName() + "' is recovering"
                    + engine.get().lastError().map(e -> ": " + HealthContribution.describe(e)).orElse(""));
        }
        engine.get().lastError().filter(e -> state == ConsumerEngine.State.RECOVERING)
                .ifPresent(e -> health.data("consumer-error", HealthContribution.describe(e)));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
