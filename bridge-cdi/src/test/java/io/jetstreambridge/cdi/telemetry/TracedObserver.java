package io.jetstreambridge.cdi.telemetry;

import io.jetstreambridge.consume.EventType;
import io.jetstreambridge.consume.JetstreamEvent;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** An application observer that starts a span of its own, and fails or waits on demand. */
@ApplicationScoped
public class TracedObserver {

    @Inject
    OpenTelemetry openTelemetry;

    private final Queue<String> calls = new ConcurrentLinkedQueue<>();
    private final Map<String, SpanContext> current = new ConcurrentHashMap<>();
    private final Map<String, String> traceparents = new ConcurrentHashMap<>();
    private final AtomicInteger failuresToThrow = new AtomicInteger();
    private final AtomicReference<CountDownLatch> gate = new AtomicReference<>(new CountDownLatch(0));
    private final AtomicInteger entered = new AtomicInteger();

    Queue<String> calls() {
        return calls;
    }

    /** The span context current in the observer for this event. */
    SpanContext contextOf(String eventId) {
        return current.get(eventId);
    }

    /** The {@code traceparent} header the event arrived with. */
    String traceparentOf(String eventId) {
        return traceparents.get(eventId);
    }

    void failNext(int times) {
        failuresToThrow.set(times);
    }

    void closeGate() {
        gate.set(new CountDownLatch(1));
    }

    void openGate() {
        gate.get().countDown();
    }

    int entered() {
        return entered.get();
    }

    void onInvoice(@Observes @EventType("invoice.created") JetstreamEvent event) throws InterruptedException {
        entered.incrementAndGet();
        current.put(event.eventId(), Span.current().getSpanContext());
        event.headers().getOrDefault("traceparent", java.util.List.of()).forEach(v -> traceparents.put(event.eventId(), v));
        Span own = openTelemetry.getTracer("test-application").spanBuilder("bill invoice").startSpan();
        own.end();
        if (!gate.get().await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test never opened the gate");
        }
        if (failuresToThrow.getAndDecrement() > 0) {
            throw new IllegalStateException("invoice service unavailable");
        }
        calls.add(event.eventId());
    }
}
