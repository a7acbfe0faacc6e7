package io.jetstreambridge.outbox.cdi;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.UUID;

/**
 * A business row an application writes for each event it receives from a peer. Its key is its own, not the event
 * id: an event handled twice would leave two rows, which the several-peers tests count by event id.
 */
@Entity
@Table(name = "test_peer_effects")
public class PeerEffect {

    static final String TABLE = "test_peer_effects";
    static final String DDL = "CREATE TABLE test_peer_effects (id VARCHAR(36) NOT NULL PRIMARY KEY, "
            + "event_id VARCHAR(255) NOT NULL, producer VARCHAR(255), subject VARCHAR(255) NOT NULL)";

    @Id
    @Column(name = "id")
    private String id;

    @Column(name = "event_id")
    private String eventId;

    @Column(name = "producer")
    private String producer;

    @Column(name = "subject")
    private String subject;

    protected PeerEffect() {
    }

    PeerEffect(String eventId, String producer, String subject) {
        this.id = UUID.randomUUID().toString();
        this.eventId = eventId;
        this.producer = producer;
        this.subject = subject;
    }
}
