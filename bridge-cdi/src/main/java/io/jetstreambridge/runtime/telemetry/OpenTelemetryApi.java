package io.jetstreambridge.runtime.telemetry;

/** Whether the OpenTelemetry API is visible to the bridge, checked without linking any class that needs it. */
public final class OpenTelemetryApi {

    static final String PROBE = "io.opentelemetry.api.OpenTelemetry";

    private OpenTelemetryApi() {
    }

    public static boolean isVisibleTo(ClassLoader loader) {
        try {
            Class.forName(PROBE, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
