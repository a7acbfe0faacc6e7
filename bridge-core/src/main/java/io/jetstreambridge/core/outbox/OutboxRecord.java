package io.jetstreambridge.core.outbox;

import java.util.Map;

/**
 * One outbox row as the relay needs it: what to publish and how to identify it.
 *
 * @param id           the row's key; also the order of rows of one resource
 * @param eventId      sent as {@code Nats-Msg-Id}
 * @param subject      where to publish
 * @param body         the envelope, exactly the bytes to send (UTF-8 JSON)
 * @param headers      extra headers given at publish time (and {@code traceparent})
 * @param resourceType with {@code resourceId}, the ordering key when ordering is per resource
 * @param attempts     publish attempts so far
 */
public record OutboxRecord(long id, String eventId, String subject, String body, Map<String, String> headers,
                           String resourceType, String resourceId, int attempts) {

    public OutboxRecord {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /**
     * The row {@code event} became once written with {@code id}, as the relay would read it back before any
     * attempt: what the fast path publishes from memory instead of reading the row.
     */
    public static OutboxRecord written(long id, NewOutboxEvent event) {
        return new OutboxRecord(id, event.eventId(), event.subject(), event.body(), event.headers(),
                event.resourceType(), event.resourceId(), 0);
    }
}
