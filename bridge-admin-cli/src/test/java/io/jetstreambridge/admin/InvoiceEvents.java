package io.jetstreambridge.admin;

import io.jetstreambridge.consume.EventType;
import io.jetstreambridge.consume.JetstreamEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The restricted application's observer: remembers the ids of the invoices it was handed. */
@ApplicationScoped
public class InvoiceEvents {

    private final List<String> received = new CopyOnWriteArrayList<>();

    void on(@Observes @EventType("invoice.created") JetstreamEvent event) {
        received.add(event.eventId());
    }

    public List<String> received() {
        return List.copyOf(received);
    }
}
