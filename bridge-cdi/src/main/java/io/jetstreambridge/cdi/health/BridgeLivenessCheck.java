package io.jetstreambridge.cdi.health;

import io.jetstreambridge.core.health.ConsumerStallWatch;
import io.jetstreambridge.core.health.HealthContribution;
import io.jetstreambridge.core.health.HealthContributor;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.cdi.BridgeRuntime;
import io.jetstreambridge.cdi.ConsumerRuntime;
import io.nats.client.Connection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import java.time.Clock;

/**
 * Liveness check {@value #NAME}{@code :{app-name}}: DOWN when a consumer loop (one per peer's durable), expected to
 * run, has shown no activity for
 * {@code health.consumer-stall-timeout} (see {@link ConsumerStallWatch}), or when a {@link HealthContributor} such
 * as the outbox says so (the sweeper has not completed a round for {@code health.relay-stall-timeout} while rows
 * are pending), or when the NATS connection is closed for good (a finite {@code nats.max-reconnects} ran out:
 * jnats will not try again, a restart will). NATS being away while jnats reconnects does not make it DOWN:
 * restarting the application would not bring NATS back; readiness reports that. See
 * {@code docs/operations-health.md} for the data keys.
 *
 * <p>Created when the application starts, like {@link BridgeReadinessCheck}.
 */
@Liveness
@ApplicationScoped
public class BridgeLivenessCheck implements HealthCheck {

    /** The check's name is this, a colon and the application's {@code app-name}. */
    public static final String NAME = "jetstream-bridge-liveness";

    @Inject
    BridgeConfig config;

    @Inject
    BridgeRuntime bridge;

    @Inject
    Instance<ConsumerRuntime> consumers;

    @Inject
    @Any
    Instance<HealthContributor> contributors;

    private volatile ConsumerStallWatch consumerWatch;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        HealthChecks.touch(contributors);
    }

    @Override
    public HealthCheckResponse call() {
        // several applications in one server answer on one endpoint: say whose check this is
        HealthContribution.Builder health = HealthContribution.builder().data(HealthChecks.APP, config.appName());
        if (bridge.connectionClosedForGood()) {
            health.data("connection", Connection.Status.CLOSED.name()).down(closedReason());
        }
        if (config.consumer().enabled()) {
            boolean connected = bridge.currentConnection()
                    .map(c -> c.getStatus() == Connection.Status.CONNECTED).orElse(false);
            health.include(consumerWatch().check(HealthChecks.engines(config, consumers), connected,
                    bridge.connectedSince()));
        }
        HealthChecks.addContributors(health, contributors, HealthContributor::liveness);
        return HealthChecks.response(HealthChecks.name(NAME, config), health.build());
    }

    /**
     * jnats closes the connection for good once {@code nats.max-reconnects} attempts failed (or on a fatal error):
     * nothing publishes or consumes again until a restart, unlike a connection that is still reconnecting.
     */
    private String closedReason() {
        int attempts = config.nats().maxReconnects();
        String why = attempts >= 0 ? "jnats gave up after " + ConfigKey.NATS_MAX_RECONNECTS.fullName() + " ("
                + attempts + ") reconnection attempts" : "it will not reconnect";
        return "NATS connection is closed: " + why + bridge.lastConnectionError().map(e -> "; last error: " + e)
                .orElse("") + ". Only a restart connects again";
    }

    private ConsumerStallWatch consumerWatch() {
        ConsumerStallWatch current = consumerWatch;
        if (current == null) {
            synchronized (this) {
                if (consumerWatch == null) {
                    consumerWatch = new ConsumerStallWatch(Clock.systemUTC(), config.health().consumerStallTimeout(),
                            config.peers());
                }
                current = consumerWatch;
            }
        }
        return current;
    }
}
