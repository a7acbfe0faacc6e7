package io.jetstreambridge.cdi.health;

import io.jetstreambridge.core.consume.ConsumerEngine;
import io.jetstreambridge.core.health.ConsumerHealthKeys;
import io.jetstreambridge.core.health.HealthContribution;
import io.jetstreambridge.topology.Topology;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.cdi.BridgeRuntime;
import io.jetstreambridge.cdi.ConsumerRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/**
 * Startup check (MicroProfile Health 4.0, {@code /health/started}) {@value #NAME}{@code :{app-name}}: UP once the
 * bridge's start-up has run, that is connected (and provisioned, with auto-provision on) with the consumer, when on,
 * started; or, with lazy connect, while the first connection is still being tried in the background (the
 * application has started by design then; readiness says it cannot work yet). It makes no network call: a platform
 * probes it often while the application starts.
 */
@Startup
@ApplicationScoped
public class BridgeStartupCheck implements HealthCheck {

    /** The check's name is this, a colon and the application's {@code app-name}. */
    public static final String NAME = "jetstream-bridge-startup";

    @Inject
    BridgeConfig config;

    @Inject
    BridgeRuntime bridge;

    @Inject
    Instance<ConsumerRuntime> consumers;

    @Override
    public HealthCheckResponse call() {
        HealthContribution.Builder health = HealthContribution.builder().data(HealthChecks.APP, config.appName());
        if (!bridge.started()) {
            return HealthChecks.response(HealthChecks.name(NAME, config),
                    health.down("the bridge has not started").build());
        }
        if (bridge.lazyConnectPending()) {
            health.data("connection", "NOT_CONNECTED");
        } else {
            bridge.currentConnection().ifPresent(c -> health.data("connection", c.getStatus().name()));
        }
        if (config.nats().lazyConnect()) {
            // started by design while NATS is away; what happens once it connects is readiness's business, and a
            // startup check that went DOWN again in between would only confuse the platform
            health.data("lazy-connect", bridge.lazyConnectPending() ? "pending" : "connected");
        } else {
            if (config.autoProvision()) {
                health.data("provisioned", bridge.provisioning().isPresent());
            }
            if (config.consumer().enabled() && HealthChecks.engines(config, consumers).isEmpty()) {
                health.down("the consumer has not started");
            }
        }
        if (config.consumer().enabled()) {
            var engines = HealthChecks.engines(config, consumers);
            for (Topology peer : config.peers().topologies()) {
                ConsumerEngine engine = engines.get(peer.durableName());
                if (engine != null) {
                    health.data(ConsumerHealthKeys.prefix(config.peers(), peer) + "-state", engine.state().name());
                }
            }
        }
        return HealthChecks.response(HealthChecks.name(NAME, config), health.build());
    }
}
