package io.jetstreambridge.core.health;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.NatsSettings;
import io.jetstreambridge.core.consume.ConsumerEngine;
import io.jetstreambridge.core.topology.ProvisioningReport;
import io.jetstreambridge.topology.Topology;
import io.nats.client.Connection;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether the bridge can do its work now: NATS connected and answering a ping; with auto-provision on, the stream
 * exists with this application's subjects (one {@code STREAM.INFO}, which also counts the dead-letter subject, one
 * {@code CONSUMER.INFO} for the backlog and a {@code STREAM.MSG.GET} for the messages the server will not deliver
 * again); and the consumer, when on, started and not recovering: each peer's durable, the data of the primary
 * peer's under {@code consumer}, each further peer's under {@code consumer-{peer}} ({@link ConsumerHealthKeys}). With
 * auto-provision off it makes no {@code $JS.API} call at all: a user without JetStream API permissions stays
 * ready. Each NATS request waits at most {@code health.check-timeout}. The round trip, stream and consumer
 * questions are {@link StreamStateProbe}'s.
 */
public final class ReadinessProbe {

    private final BridgeConfig config;
    private final Topology topology;
    private final StreamStateProbe streamState;

    public ReadinessProbe(BridgeConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.topology = config.topology();
        this.streamState = new StreamStateProbe(config);
    }

    /**
     * @param connection          the open connection, empty before the first (lazy) connect succeeded
     * @param provisioning        the last provisioning run's report (auto-provision on)
     * @param provisioningFailure why the last provisioning run failed, if no run succeeded since
     * @param engines             the running consumers by durable name (one per peer); a durable without one is
     *                            not started (the consumer off, or not started yet)
     * @param lastConnectionError the last error reported on the connection (why a lazy connect is refused)
     */
    public HealthContribution check(Optional<Connection> connection, Optional<ProvisioningReport> provisioning,
                             Optional<RuntimeException> provisioningFailure, Map<String, ConsumerEngine> engines,
                             Optional<String> lastConnectionError) {
        HealthContribution.Builder health = HealthContribution.builder()
                .data("stream", topology.stream())
                .data("auto-provision", config.autoProvision());
        Connection answering = connection.filter(c -> streamState.answers(health, c)).orElse(null);
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
            streamState.stream(health, answering);
        }
        if (config.consumer().enabled()) {
            consumers(health, engines);
        }
        return health.build();
    }

    private void provisioning(HealthContribution.Builder health, Optional<ProvisioningReport> report,
                              Optional<RuntimeException> failure) {
        if (failure.isPresent()) {
            health.down("provisioning failed: " + HealthContribution.describe(failure.get()));
        } else if (report.isEmpty()) {
            health.down("stream '" + topology.stream() + "' is not provisioned yet");
        }
        report.filter(ProvisioningReport::drifted).ifPresent(r -> health.data("provisioning-drift",
                String.join("; ", r.allDrift())));
    }

    /** Each peer's durable in turn, the primary's first: DOWN names every durable that is not running. */
    private void consumers(HealthContribution.Builder health, Map<String, ConsumerEngine> engines) {
        for (Topology peer : config.peers().topologies()) {
            consumer(health, ConsumerHealthKeys.prefix(config.peers(), peer), peer.durableName(),
                    Optional.ofNullable(engines.get(peer.durableName())));
        }
    }

    private static void consumer(HealthContribution.Builder health, String prefix, String durable,
                                 Optional<ConsumerEngine> engine) {
        health.data(prefix, durable);
        if (engine.isEmpty()) {
            health.data(prefix + "-state", "NOT_STARTED").down("consumer '" + durable + "' is not started");
            return;
        }
        ConsumerEngine.State state = engine.get().state();
        health.data(prefix + "-state", state.name());
        switch (state) {
            case RUNNING -> { }
            case STARTING -> health.down("consumer '" + durable + "' is starting");
            case STOPPED -> health.down("consumer '" + durable + "' is stopped");
            case RECOVERING -> health.down("consumer '" + durable + "' is recovering"
                    + engine.get().lastError().map(e -> ": " + HealthContribution.describe(e)).orElse(""));
            case WAITING_FOR_DATABASE -> health.down("consumer '" + durable + "' waits for its "
                    + "database, holding its messages"
                    + engine.get().lastError().map(e -> ": " + HealthContribution.describe(e)).orElse(""));
        }
        engine.get().lastError().filter(e -> state == ConsumerEngine.State.RECOVERING
                        || state == ConsumerEngine.State.WAITING_FOR_DATABASE)
                .ifPresent(e -> health.data(prefix + "-error", HealthContribution.describe(e)));
    }
}
