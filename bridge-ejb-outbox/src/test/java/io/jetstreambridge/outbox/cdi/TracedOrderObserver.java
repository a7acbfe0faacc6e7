package io.jetstreambridge.outbox.cdi;

import io.jetstreambridge.consume.EventType;
import io.jetstreambridge.consume.JetstreamEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Records the span context current while the observers of each event run. */
@ApplicationScoped
public class TracedOrderObserver {

    private final Map<String, SpanContext> current = new ConcurrentHashMap<>();

    SpanContext contextOf(String eventId) {
        return current.get(eventId);
    }

    void onOrder(@Observes @EventType("order.created") JetstreamEvent event) {
        current.put(event.eventId(), Span.current().getSpanContext());
    }
}
