package io.jetstreambridge.cdi.telemetry;

import io.jetstreambridge.core.telemetry.otel.OpenTelemetryBridgeTelemetry;

import io.jetstreambridge.core.telemetry.BridgeTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.BeanManager;

import java.util.Optional;

/**
 * Finds the {@code OpenTelemetry} bean MicroProfile Telemetry provides. Loaded only after the caller checked that
 * the API is on the class path. {@code GlobalOpenTelemetry} is deliberately not asked: reading it before an
 * application sets it would make its later {@code set} fail.
 */
final class OpenTelemetryLookup {

    private OpenTelemetryLookup() {
    }

    /** The adapter over the container's {@code OpenTelemetry}, or empty when there is no such bean. */
    public static Optional<BridgeTelemetry> find(BeanManager beans, String app) {
        Instance<OpenTelemetry> instance = beans.createInstance().select(OpenTelemetry.class);
        if (!instance.isResolvable()) {
            return Optional.empty();
        }
        return Optional.of(new OpenTelemetryBridgeTelemetry(instance.get(), app));
    }
}
