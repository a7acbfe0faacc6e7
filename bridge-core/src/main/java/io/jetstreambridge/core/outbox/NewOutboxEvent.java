package io.jetstreambridge.core.outbox;

import java.util.Map;

/** What {@code publish} inside a transaction writes: the envelope already built and encoded. */
public record NewOutboxEvent(String eventId, String eventType, String resourceType, String resourceId,
                             String subject, String body, Map<String, String> headers) {

    public NewOutboxEvent {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }
}
