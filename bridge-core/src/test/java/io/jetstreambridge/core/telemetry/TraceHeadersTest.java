package io.jetstreambridge.core.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.Map;

class TraceHeadersTest {

    private static final String OLD = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final String NEW = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    @Test
    void withoutATraceTheEventsOwnHeadersPassThroughUnchanged() {
        Map<String, String> own = Map.of("x-tenant", "acme", TraceHeaders.TRACEPARENT, OLD, TraceHeaders.TRACESTATE,
                "vendor=1");

        assertThat(TraceHeaders.merge(own, Map.of())).isEqualTo(own);
    }

    @Test
    void aTraceReplacesTheWholeStoredContextAndKeepsTheOtherHeaders() {
        Map<String, String> stored = Map.of("x-tenant", "acme", TraceHeaders.TRACEPARENT, OLD, TraceHeaders.TRACESTATE,
                "vendor=1");

        assertThat(TraceHeaders.merge(stored, Map.of(TraceHeaders.TRACEPARENT, NEW)))
                .isEqualTo(Map.of("x-tenant", "acme", TraceHeaders.TRACEPARENT, NEW));
    }
}
