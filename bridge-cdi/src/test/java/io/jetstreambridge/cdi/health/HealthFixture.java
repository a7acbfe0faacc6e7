package io.jetstreambridge.cdi.health;

import io.jetstreambridge.cdi.BridgeEntityManagers;
import io.jetstreambridge.cdi.ConsumerRuntime;
import io.jetstreambridge.testing.cdi.JtaContainer;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import java.util.Map;

/**
 * The bridge with its health checks in a CDI container with JTA (the consumer needs it), the way an application
 * server deploys them; tests ask the checks through their qualifiers, as a MicroProfile Health runtime does.
 */
final class HealthFixture implements AutoCloseable {

    private final JtaContainer container;

    private HealthFixture(JtaContainer container) {
        this.container = container;
    }

    static HealthFixture start(Map<String, String> config, Class<?>... applicationBeans) {
        return new HealthFixture(JtaContainer.builder().withBridgeRuntime()
                .beanClasses(ConsumerRuntime.class, BridgeEntityManagers.class, BridgeReadinessCheck.class,
                        BridgeLivenessCheck.class, BridgeStartupCheck.class)
                .beanClasses(applicationBeans)
                .config(config)
                .start());
    }

    HealthCheckResponse readiness() {
        return container.select(HealthCheck.class, Readiness.Literal.INSTANCE).call();
    }

    HealthCheckResponse liveness() {
        return container.select(HealthCheck.class, Liveness.Literal.INSTANCE).call();
    }

    HealthCheckResponse startup() {
        return container.select(HealthCheck.class, org.eclipse.microprofile.health.Startup.Literal.INSTANCE).call();
    }

    <T> T select(Class<T> type) {
        return container.select(type);
    }

    static Map<String, Object> data(HealthCheckResponse response) {
        return response.getData().orElseThrow();
    }

    static boolean up(HealthCheckResponse response) {
        return response.getStatus() == HealthCheckResponse.Status.UP;
    }

    @Override
    public void close() {
        container.close();
    }
}
