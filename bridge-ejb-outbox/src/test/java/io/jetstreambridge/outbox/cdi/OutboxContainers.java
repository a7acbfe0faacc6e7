package io.jetstreambridge.outbox.cdi;

import io.jetstreambridge.cdi.BridgeEntityManagers;
import io.jetstreambridge.testing.cdi.JtaContainer;
import io.jetstreambridge.testing.jta.JpaHarness;

/** A {@link JtaContainer} with the outbox as an application deploys {@code bridge-ejb-outbox}. */
public final class OutboxContainers {

    private OutboxContainers() {
    }

    /**
     * The bridge's runtime with the outbox ({@link OutboxRuntime}, {@link OutboxMaintenanceService}) and its EntityManager,
     * over the harness given; add the application's beans and the configuration.
     */
    public static JtaContainer.Builder withOutbox(JpaHarness jpa) {
        return JtaContainer.builder().jpa(jpa).withBridgeRuntime()
                .beanClasses(OutboxRuntime.class, OutboxMaintenanceService.class, BridgeEntityManagers.class);
    }
}
