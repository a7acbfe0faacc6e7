package io.jetstreambridge.core.health;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.NatsSettings;
import io.jetstreambridge.core.consume.ConsumerEngine;
import io.jetstreambridge.core.topology.ProvisioningReport;
import io.jetstreambridge.topology.Topology;
import io.nats.client.Connection;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether the bridge can do its work now: NATS connected and answering a ping; with auto-provision on, the stream
 * exists with this application's subjects (one {@code STREAM.INFO}, which also counts the dead-letter subject, one
 * {@code CONSUMER.INFO} for the backlog and a {@code STREAM.MSG.GET} for the messages the server will not deliver
 * again); and the consumer, when on, started and not recovering. With
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
     * @param engine              the running consumer, empty when off or not started
     * @param lastConnectionError the last error reported on the connection (why a lazy connect is refused)
     */
    public HealthContribution check(Optional<Connection> connection, Optional<ProvisioningReport> provisioning,
                             Optional<RuntimeException> provisioningFailure, Optional<ConsumerEngine> engine,
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
            consumer(health, engine);
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
            case WAITING_FOR_DATABASE -> health.down("consumer '" + topology.durableName() + "' waits for its "
                    + "database, holding its messages"
                    + engine.get().lastError().map(e -> ": " + HealthContribution.describe(e)).orElse(""));
        }
        engine.get().lastError().filter(e -> state == ConsumerEngine.State.RECOVERING
                        || state == ConsumerEngine.State.WAITING_FOR_DATABASE)
                .ifPresent(e -> health.data("consumer-error", HealthContribution.describe(e)));
    }
}
