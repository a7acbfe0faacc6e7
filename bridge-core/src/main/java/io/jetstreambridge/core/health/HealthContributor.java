package io.jetstreambridge.core.health;


import java.util.Optional;

/**
 * A part of the application that adds to the bridge's health checks without the bridge knowing it: the outbox
 * module contributes its relay's liveness this way, since {@code bridge-cdi} cannot depend on it. Implement it as
 * an {@code @ApplicationScoped} bean; {@code BridgeReadinessCheck} and {@code BridgeLivenessCheck} ask every such
 * bean on each probe, put its data under {@code name()-} prefixed keys and are DOWN when it is.
 *
 * <p>A contributor answers quickly (it is called on the health endpoint's thread, which may be a management thread
 * without the application's naming context), bounds any I/O by {@code health.check-timeout}, and reports failures
 * it expects (a database that does not answer) in its contribution instead of throwing. It is created when the
 * application starts, by the checks, so its injected resources are resolved with the application's context.
 */
public interface HealthContributor {

    /** The prefix of its data keys, e.g. {@code outbox}. */
    String name();

    /** Its part of the readiness check; empty when it has nothing to say there. */
    default Optional<HealthContribution> readiness() {
        return Optional.empty();
    }

    /** Its part of the liveness check; empty when it has nothing to say there. */
    default Optional<HealthContribution> liveness() {
        return Optional.empty();
    }
}
