package io.jetstreambridge.cdi;

import io.jetstreambridge.consume.EventType;
import io.jetstreambridge.consume.JetstreamEvent;
import io.jetstreambridge.consume.ResourceType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Observes one event type only, and one resource type of another, so that other events have no observer. */
@ApplicationScoped
public class StockObserver {

    private final Queue<String> reserved = new ConcurrentLinkedQueue<>();
    private final Queue<String> shipments = new ConcurrentLinkedQueue<>();

    Queue<String> reserved() {
        return reserved;
    }

    Queue<String> shipments() {
        return shipments;
    }

    void onReserved(@Observes @EventType("stock.reserved") JetstreamEvent event) {
        reserved.add(event.eventId());
    }

    void onShipment(@Observes @ResourceType("shipment") JetstreamEvent event) {
        shipments.add(event.eventId());
    }
}
