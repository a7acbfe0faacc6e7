package io.jetstreambridge.cdi.health;

import io.jetstreambridge.core.health.HealthContribution;
import io.jetstreambridge.core.health.HealthContributor;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.cdi.ConsumerRuntime;
import io.jetstreambridge.core.consume.ConsumerEngine;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.health.HealthCheckResponse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** What the two checks share: contributors, the consumer engines, and the MicroProfile Health response. */
final class HealthChecks {

    /** The data key that says why a check is DOWN. */
    static final String REASON = "reason";

    /** The data key that names the application ({@code app-name}) a check belongs to. */
    static final String APP = "app";

    private HealthChecks() {
    }

    /**
     * A check's name: its kind and the application's {@code app-name}, {@code jetstream-bridge-readiness:orders}, so
     * the checks of several applications in one server can be told apart by name, not only by their data.
     */
    static String name(String kind, BridgeConfig config) {
        return kind + ":" + config.appName();
    }

    /**
     * Adds what every contributor says for one probe; a contributor that throws makes the check DOWN with its
     * error, since a check that cannot look is no evidence of health.
     */
    static void addContributors(HealthContribution.Builder health, Instance<HealthContributor> contributors,
                                Function<HealthContributor, Optional<HealthContribution>> probe) {
        for (HealthContributor contributor : contributors) {
            String name = contributor.name();
            try {
                probe.apply(contributor).ifPresent(part -> health.include(name, part));
            } catch (RuntimeException e) {
                health.down(name + " health check failed: " + HealthContribution.describe(e));
            }
        }
    }

    /** Creates the contributors now, on the deployment thread, so their resources resolve in the application. */
    static void touch(Instance<HealthContributor> contributors) {
        for (HealthContributor contributor : contributors) {
            contributor.name();
        }
    }

    /** The running consumer engines by durable name; none when the consumer is off or not started. */
    static Map<String, ConsumerEngine> engines(BridgeConfig config, Instance<ConsumerRuntime> consumers) {
        if (!config.consumer().enabled() || !consumers.isResolvable()) {
            return Map.of();
        }
        return consumers.get().engines();
    }

    static HealthCheckResponse response(String name, HealthContribution health) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (!health.up()) {
            data.put(REASON, String.join("; ", health.reasons()));
        }
        data.putAll(health.data());
        return new HealthCheckResponse(name, health.up() ? HealthCheckResponse.Status.UP
                : HealthCheckResponse.Status.DOWN, Optional.of(data));
    }
}
