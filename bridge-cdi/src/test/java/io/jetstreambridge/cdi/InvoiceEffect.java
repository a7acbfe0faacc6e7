package io.jetstreambridge.cdi;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A business row an observer writes per event: the effect that must exist exactly once. */
@Entity
@Table(name = "test_invoice_effects")
public class InvoiceEffect {

    static final String DDL = "CREATE TABLE test_invoice_effects (event_id VARCHAR(255) NOT NULL PRIMARY KEY, "
            + "invoice_id VARCHAR(255))";

    @Id
    @Column(name = "event_id")
    private String eventId;

    @Column(name = "invoice_id")
    private String invoiceId;

    protected InvoiceEffect() {
    }

    InvoiceEffect(String eventId, String invoiceId) {
        this.eventId = eventId;
        this.invoiceId = invoiceId;
    }
}
