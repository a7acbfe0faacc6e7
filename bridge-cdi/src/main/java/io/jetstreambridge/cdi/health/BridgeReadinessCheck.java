package io.jetstreambridge.cdi.health;

import io.jetstreambridge.core.health.HealthContributor;
import io.jetstreambridge.core.health.HealthContribution;
import io.jetstreambridge.core.health.ReadinessProbe;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.cdi.BridgeRuntime;
import io.jetstreambridge.cdi.ConsumerRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness check {@value #NAME}{@code :{app-name}}: UP when NATS is connected and answers, the stream has this
 * application's subjects (checked only with auto-provision on), and the consumer, when on, runs and is not
 * recovering (each peer's durable); DOWN otherwise with the reasons under {@code reason}. See {@code docs/operations-health.md} for the data keys.
 *
 * <p>Created when the application starts (it observes {@code @Initialized(ApplicationScoped.class)}), not at the
 * first probe: on WildFly probes run on a management thread without the application's naming context.
 */
@Readiness
@ApplicationScoped
public class BridgeReadinessCheck implements HealthCheck {

    /** The check's name is this, a colon and the application's {@code app-name}. */
    public static final String NAME = "jetstream-bridge-readiness";

    @Inject
    BridgeConfig config;

    @Inject
    BridgeRuntime bridge;

    @Inject
    Instance<ConsumerRuntime> consumers;

    @Inject
    @Any
    Instance<HealthContributor> contributors;

    private volatile ReadinessProbe probe;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        HealthChecks.touch(contributors);
    }

    @Override
    public HealthCheckResponse call() {
        // several applications in one server answer on one endpoint: say whose check this is
        HealthContribution.Builder health = HealthContribution.builder().data(HealthChecks.APP, config.appName());
        health.include(probe().check(bridge.currentConnection(), bridge.provisioning(), bridge.provisioningFailure(),
                HealthChecks.engines(config, consumers), bridge.lastConnectionError()));
        HealthChecks.addContributors(health, contributors, HealthContributor::readiness);
        return HealthChecks.response(HealthChecks.name(NAME, config), health.build());
    }

    private ReadinessProbe probe() {
        ReadinessProbe current = probe;
        if (current == null) {
            current = new ReadinessProbe(config);
            probe = current;
        }
        return current;
    }
}
