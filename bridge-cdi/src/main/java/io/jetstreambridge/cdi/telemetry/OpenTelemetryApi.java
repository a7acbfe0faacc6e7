package io.jetstreambridge.cdi.telemetry;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;

import java.lang.reflect.Type;

/** What of the OpenTelemetry API the bridge can use, checked without linking any class that needs it. */
final class OpenTelemetryApi {

    static final String PROBE = "io.opentelemetry.api.OpenTelemetry";
    /**
     * The metrics API the adapter records with. MicroProfile Telemetry 1.x does not offer it: Open Liberty's
     * mpTelemetry-1.1 (what microProfile-6.1 brings) exposes only the trace, context and baggage packages.
     */
    static final String METRICS_PROBE = "io.opentelemetry.api.metrics.Meter";

    private OpenTelemetryApi() {
    }

    public static boolean isVisibleTo(ClassLoader loader) {
        return visible(PROBE, loader);
    }

    public static boolean hasMetrics(ClassLoader loader) {
        return visible(METRICS_PROBE, loader);
    }

    /**
     * Whether the container offers an {@code OpenTelemetry} bean, found by its type's name, so this works (and
     * links nothing) when the application cannot see the API: then the server has MicroProfile Telemetry but hides
     * it from the application.
     */
    public static boolean offeredAsBean(BeanManager beans) {
        for (Bean<?> bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
            for (Type type : bean.getTypes()) {
                if (type instanceof Class<?> c && c.getName().equals(PROBE)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean visible(String className, ClassLoader loader) {
        try {
            Class.forName(className, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
