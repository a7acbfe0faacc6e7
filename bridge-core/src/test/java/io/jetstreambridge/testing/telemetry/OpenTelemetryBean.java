package io.jetstreambridge.testing.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The {@code OpenTelemetry} bean MicroProfile Telemetry gives an application, for test containers: add this class
 * to the container's beans after {@link #use} with the test's SDK.
 */
public class OpenTelemetryBean {

    private static volatile OpenTelemetry current;

    public static void use(OpenTelemetry openTelemetry) {
        current = openTelemetry;
    }

    @Produces
    @Singleton
    OpenTelemetry openTelemetry() {
        if (current == null) {
            throw new IllegalStateException("call OpenTelemetryBean.use(...) before starting the container");
        }
        return current;
    }
}
