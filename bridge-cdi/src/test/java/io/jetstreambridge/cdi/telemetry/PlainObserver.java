package io.jetstreambridge.cdi.telemetry;

import io.jetstreambridge.consume.EventType;
import io.jetstreambridge.consume.JetstreamEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** An observer that knows nothing of OpenTelemetry: what it received, headers included. */
@ApplicationScoped
public class PlainObserver {

    private final Queue<JetstreamEvent> received = new ConcurrentLinkedQueue<>();

    Queue<JetstreamEvent> received() {
        return received;
    }

    void onInvoice(@Observes @EventType("invoice.created") JetstreamEvent event) {
        received.add(event);
    }
}
