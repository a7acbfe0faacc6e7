package io.jetstreambridge.core.telemetry.otel;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;

import java.util.List;
import java.util.Map;

/** Reading and writing the trace context in the bridge's header maps. */
final class HeaderCarriers {

    /** An outbox row's or an outgoing event's headers (one value each). */
    static final TextMapGetter<Map<String, String>> FLAT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : find(carrier, key);
        }
    };

    /** A received message's headers. */
    static final TextMapGetter<Map<String, List<String>>> MULTI = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, List<String>> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, List<String>> carrier, String key) {
            List<String> values = carrier == null ? null : find(carrier, key);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    };

    static final TextMapSetter<Map<String, String>> SETTER = (carrier, key, value) -> carrier.put(key, value);

    private HeaderCarriers() {
    }

    /** NATS header names are case-sensitive, but another producer may spell {@code traceparent} differently. */
    private static <V> V find(Map<String, V> carrier, String key) {
        V exact = carrier.get(key);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, V> entry : carrier.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(key)) {
                return entry.getValue();
            }
        }
        return null;
    }
}
