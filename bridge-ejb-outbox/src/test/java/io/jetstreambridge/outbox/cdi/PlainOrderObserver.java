package io.jetstreambridge.outbox.cdi;

import io.jetstreambridge.consume.EventType;
import io.jetstreambridge.consume.JetstreamEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** An observer that knows nothing of OpenTelemetry: what it received, headers included. */
@ApplicationScoped
public class PlainOrderObserver {

    private final Queue<JetstreamEvent> received = new ConcurrentLinkedQueue<>();

    Queue<JetstreamEvent> received() {
        return received;
    }

    void onOrder(@Observes @EventType("order.created") JetstreamEvent event) {
        received.add(event);
    }
}
