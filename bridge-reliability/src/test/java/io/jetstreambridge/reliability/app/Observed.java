package io.jetstreambridge.reliability.app;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.UUID;

/**
 * The consuming application's business effect: one row per observer call that committed. The order id is not a
 * key on purpose, so that an event handled twice shows up as two rows instead of a failed insert.
 */
@Entity
@Table(name = "observed")
public class Observed {

    @Id
    @Column(name = "id", length = 36)
    private String id;

    @Column(name = "order_id", length = 64, nullable = false)
    private String orderId;

    @Column(name = "event_id", length = 64, nullable = false)
    private String eventId;

    @Column(name = "instance", length = 32, nullable = false)
    private String instance;

    protected Observed() {
    }

    public Observed(String orderId, String eventId, String instance) {
        this.id = UUID.randomUUID().toString();
        this.orderId = orderId;
        this.eventId = eventId;
        this.instance = instance;
    }
}
