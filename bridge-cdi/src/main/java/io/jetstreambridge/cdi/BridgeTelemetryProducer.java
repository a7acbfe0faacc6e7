package io.jetstreambridge.cdi;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.core.telemetry.BridgeTelemetry;
import io.jetstreambridge.cdi.telemetry.TelemetrySelection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;

/**
 * Supplies the engines' {@link BridgeTelemetry}, as {@link TelemetrySelection} chooses it: the OpenTelemetry adapter
 * when the server provides the API and an {@code OpenTelemetry} bean (MicroProfile Telemetry 2.0), else
 * {@link BridgeTelemetry#NONE}. This class names no
 * OpenTelemetry type, so the bridge deploys on a server without it; the adapter's classes are linked only after
 * the check.
 */
@ApplicationScoped
public class BridgeTelemetryProducer {

    @Inject
    BridgeConfig config;

    @Inject
    BeanManager beans;

    private BridgeTelemetry telemetry;

    /** Decides at start, on the deployment thread, where the container's look-ups work. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        telemetry();
    }

    @Produces
    BridgeTelemetry produce() {
        return telemetry();
    }

    synchronized BridgeTelemetry telemetry() {
        if (telemetry == null) {
            telemetry = TelemetrySelection.select(BridgeTelemetryProducer.class.getClassLoader(), beans,
                    config.appName());
        }
        return telemetry;
    }

    /**
     * The telemetry an adapter injected as {@code Instance}: {@link BridgeTelemetry#NONE} in a container that does
     * not deploy this producer.
     */
    public static BridgeTelemetry of(Instance<BridgeTelemetry> instance) {
        return instance.isResolvable() ? instance.get() : BridgeTelemetry.NONE;
    }
}
