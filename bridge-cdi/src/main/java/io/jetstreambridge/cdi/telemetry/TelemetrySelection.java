package io.jetstreambridge.cdi.telemetry;

import io.jetstreambridge.core.telemetry.BridgeTelemetry;

import io.jetstreambridge.core.log.BridgeLog;
import io.jetstreambridge.cdi.telemetry.OpenTelemetryLookup;
import jakarta.enterprise.inject.spi.BeanManager;

/**
 * Chooses the engines' {@link BridgeTelemetry} from what the server offers, and says what it chose: the
 * OpenTelemetry adapter, or {@link BridgeTelemetry#NONE} with the reason. Where the server has MicroProfile
 * Telemetry but the bridge cannot use it (hidden from the application, or without the metrics API) it warns and
 * names what to add; no MicroProfile Telemetry at all is a choice and only logged at INFO. Classes that need the
 * API are linked only after the checks.
 */
public final class TelemetrySelection {

    private TelemetrySelection() {
    }

    /**
     * @param loader the application's view of the classes (the bridge's own class loader)
     */
    public static BridgeTelemetry select(ClassLoader loader, BeanManager beans, String app) {
        if (!OpenTelemetryApi.isVisibleTo(loader)) {
            if (OpenTelemetryApi.offeredAsBean(beans)) {
                BridgeLog.telemetryApiHidden();
            } else {
                BridgeLog.telemetry("off: the OpenTelemetry API is not visible to the application");
            }
            return BridgeTelemetry.NONE;
        }
        if (!OpenTelemetryApi.hasMetrics(loader)) {
            BridgeLog.telemetryWithoutMetricsApi();
            return BridgeTelemetry.NONE;
        }
        BridgeTelemetry telemetry = OpenTelemetryLookup.find(beans, app).orElse(null);
        if (telemetry == null) {
            BridgeLog.telemetry("off: the OpenTelemetry API is visible but no OpenTelemetry bean is");
            return BridgeTelemetry.NONE;
        }
        BridgeLog.telemetry("on: metrics and traces through the container's OpenTelemetry");
        return telemetry;
    }
}
