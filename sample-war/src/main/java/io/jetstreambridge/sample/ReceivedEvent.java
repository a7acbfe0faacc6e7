package io.jetstreambridge.sample;

import io.jetstreambridge.consume.JetstreamEvent;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.io.StringReader;
import java.time.LocalDateTime;

/** What an application received through the bridge (table {@code sample_received_events}), for GET /api/events. */
@Entity
@Table(name = "sample_received_events")
public class ReceivedEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "event_id", nullable = false)
    private String eventId;

    @Column(name = "event_type", nullable = false)
    private String eventType;

    @Column(name = "resource_id")
    private String resourceId;

    @Column(nullable = false)
    private String subject;

    @Column(nullable = false)
    private long deliveries;

    @Column(nullable = false, length = 4000)
    private String payload;

    @Column(name = "received_at", nullable = false)
    private LocalDateTime receivedAt;

    protected ReceivedEvent() {
    }

    public ReceivedEvent(JetstreamEvent event) {
        this.eventId = event.eventId();
        this.eventType = event.eventType();
        this.resourceId = event.resourceId().orElse(null);
        this.subject = event.subject();
        this.deliveries = event.deliveryCount();
        this.payload = event.payload().toString();
        this.receivedAt = LocalDateTime.now();
    }

    public JsonObject toJson() {
        try (JsonReader reader = Json.createReader(new StringReader(payload))) {
            return Json.createObjectBuilder()
                    .add("event_id", eventId)
                    .add("event_type", eventType)
                    .add("resource_id", resourceId == null ? "" : resourceId)
                    .add("subject", subject)
                    .add("deliveries", deliveries)
                    .add("payload", reader.readValue())
                    .add("received_at", receivedAt.toString())
                    .build();
        }
    }
}
