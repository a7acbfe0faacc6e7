package io.jetstreambridge.runtime.cdi;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.runtime.log.BridgeLog;
import io.jetstreambridge.runtime.telemetry.BridgeTelemetry;
import io.jetstreambridge.runtime.telemetry.OpenTelemetryApi;
import io.jetstreambridge.runtime.telemetry.otel.OpenTelemetryLookup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;

/**
 * Supplies the engines' {@link BridgeTelemetry}: the OpenTelemetry adapter when the server provides the API and an
 * {@code OpenTelemetry} bean (MicroProfile Telemetry), else {@link BridgeTelemetry#NONE}. This class names no
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
            if (!OpenTelemetryApi.isVisibleTo(BridgeTelemetryProducer.class.getClassLoader())) {
                BridgeLog.telemetry("off: the OpenTelemetry API is not visible to the application");
                telemetry = BridgeTelemetry.NONE;
            } else {
                telemetry = OpenTelemetryLookup.find(beans, config.appName()).orElse(null);
                if (telemetry == null) {
                    BridgeLog.telemetry("off: the OpenTelemetry API is visible but no OpenTelemetry bean is");
                    telemetry = BridgeTelemetry.NONE;
                } else {
                    BridgeLog.telemetry("on: metrics and traces through the container's OpenTelemetry");
                }
            }
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
