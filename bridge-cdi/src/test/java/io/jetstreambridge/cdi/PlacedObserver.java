package io.jetstreambridge.cdi;

import io.jetstreambridge.consume.EventType;
import io.jetstreambridge.consume.JetstreamEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Reads {@code order.placed} payloads as a record with {@code payloadAs}. */
@ApplicationScoped
public class PlacedObserver {

    public record Line(String sku, int qty) {
    }

    public record Placed(String orderId, Instant placedAt, LocalDate dueOn, OffsetDateTime promisedAt,
                         List<Line> orderLines, BigDecimal totalAmount) {
    }

    private final Queue<Placed> placed = new ConcurrentLinkedQueue<>();

    Queue<Placed> placed() {
        return placed;
    }

    void onPlaced(@Observes @EventType("order.placed") JetstreamEvent event) {
        placed.add(event.payloadAs(Placed.class));
    }
}
