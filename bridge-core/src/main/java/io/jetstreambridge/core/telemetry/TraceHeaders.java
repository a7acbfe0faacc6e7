package io.jetstreambridge.core.telemetry;

import java.util.LinkedHashMap;
import java.util.Map;

/** The W3C trace context headers the wire contract allows, and how they join an event's own headers. */
public final class TraceHeaders {

    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    private TraceHeaders() {
    }

    /**
     * The event's headers with the trace context replaced by {@code propagation} when there is one; when there is
     * none (not tracing) the event's own headers, trace context included, pass through unchanged.
     */
    public static Map<String, String> merge(Map<String, String> headers, Map<String, String> propagation) {
        if (propagation.isEmpty()) {
            return headers;
        }
        Map<String, String> merged = new LinkedHashMap<>(headers);
        merged.remove(TRACEPARENT);
        merged.remove(TRACESTATE);
        merged.putAll(propagation);
        return merged;
    }
}
