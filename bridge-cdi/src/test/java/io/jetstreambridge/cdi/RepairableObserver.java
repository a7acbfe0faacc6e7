package io.jetstreambridge.cdi;

import io.jetstreambridge.consume.EventType;
import io.jetstreambridge.consume.JetstreamEvent;
import io.jetstreambridge.consume.UnrecoverableEventException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/** An observer with a bug that dead-letters every invoice until it is repaired. */
@ApplicationScoped
public class RepairableObserver {

    /** What a successful call saw: the event id, the body's event id, and the invoice id. */
    public record Handled(String eventId, String bodyEventId, String invoiceId) {
    }

    private final AtomicBoolean broken = new AtomicBoolean(true);
    private final Queue<Handled> handled = new ConcurrentLinkedQueue<>();
    private final Queue<String> failed = new ConcurrentLinkedQueue<>();

    void repair() {
        broken.set(false);
    }

    List<Handled> handled() {
        return List.copyOf(handled);
    }

    List<String> failed() {
        return List.copyOf(failed);
    }

    void onInvoice(@Observes @EventType("invoice.created") JetstreamEvent event) {
        if (broken.get()) {
            failed.add(event.eventId());
            throw new UnrecoverableEventException("invoice customer is unknown");
        }
        handled.add(new Handled(event.eventId(), event.envelope().eventId(),
                event.payload().asJsonObject().getString("id")));
    }
}
