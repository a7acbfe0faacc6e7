package io.jetstreambridge.publish;

import io.jetstreambridge.envelope.WireHeaders;
import io.jetstreambridge.topology.NameRules;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One event to publish, before it becomes an envelope. Only the event type and payload are required; anything
 * left {@code null} is filled in by the wire contract's rules when the envelope is built (a UUID v4 event id, the
 * current second, a random trace id, resource type and id inferred from the event type and payload).
 *
 * @param eventType    e.g. {@code order.created}
 * @param payload      any object JSON-B can serialise, a {@code jakarta.json.JsonValue}, or a JSON string
 *                     wrapped by {@link Builder#jsonPayload(String)}
 * @param eventId      the dedupe id; give your own to make retries of a business operation idempotent
 * @param headers      extra NATS headers (not {@code Nats-Msg-Id}: that is always the event id)
 * @param subject      a subject other than {@code {app}.sync.{destination}}; it must belong to the stream
 * @param destination  the peer ({@code destination-apps}) it goes to, on {@code {app}.sync.{destination}};
 *                     {@code null} for the only peer
 */
public record OutgoingEvent(String eventType, Object payload, String eventId, String resourceType,
                            String resourceId, Instant occurredAt, String traceId, Map<String, String> headers,
                            String subject, String destination) {

    public OutgoingEvent {
        if (eventType == null || eventType.isBlank()) {
            throw new IllegalArgumentException("eventType is required, e.g. \"order.created\"");
        }
        Objects.requireNonNull(payload, "payload is required (use an empty map for none)");
        // what the relay could never send is refused here, for direct and outbox publishing alike (EventText)
        EventText.requireIdentifier("eventType", eventType);
        if (eventId != null) {
            EventText.requireHeaderValue("eventId (sent as header Nats-Msg-Id)", eventId);
        }
        EventText.requireIdentifier("resourceType", resourceType);
        EventText.requireIdentifier("resourceId", resourceId);
        EventText.requireIdentifier("traceId", traceId);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        headers.forEach((name, value) -> {
            EventText.requireHeaderName(name);
            if (name.equalsIgnoreCase(WireHeaders.MSG_ID)) {
                throw new IllegalArgumentException("Nats-Msg-Id is always the event id; set eventId instead");
            }
            EventText.requireHeaderValue("header '" + name + "'", value);
        });
        if (subject != null && (subject.isBlank() || subject.contains("*") || subject.contains(">")
                || subject.chars().anyMatch(Character::isWhitespace) || subject.startsWith(".")
                || subject.endsWith(".") || subject.contains(".."))) {
            throw new IllegalArgumentException("subject '" + subject + "' is not a publishable subject");
        }
        if (destination != null) {
            if (subject != null) {
                throw new IllegalArgumentException("give a subject or a destination, not both (subject '" + subject
                        + "', destination '" + destination + "')");
            }
            String name = destination;
            NameRules.checkDestination(name).ifPresent(why -> {
                throw new IllegalArgumentException("destination '" + name + "' " + why);
            });
        }
    }

    /**
     * This event for one peer: the same event with that destination. Used by {@link Publisher#fanOut}, where every
     * copy needs an id of its own, because JetStream drops a message whose {@code Nats-Msg-Id} it has stored
     * already, on any subject of the stream: a caller's event id becomes {@code {eventId}:{destination}} (so a
     * retried fan-out dedupes copy by copy, like the dead-letter copy's {@code {eventId}:dlq}); without one, each copy
     * gets a UUID. The copies share one trace id.
     *
     * @param traceId the trace id the copies share, used when the event has none
     */
    public OutgoingEvent forDestination(String destination, String traceId) {
        String id = eventId != null ? eventId + ":" + destination : UUID.randomUUID().toString();
        return new OutgoingEvent(eventType, payload, id, resourceType, resourceId, occurredAt,
                this.traceId != null ? this.traceId : traceId, headers, subject, destination);
    }

    public static OutgoingEvent of(String eventType, Object payload) {
        return builder(eventType, payload).build();
    }

    public static Builder builder(String eventType, Object payload) {
        return new Builder(eventType, payload);
    }

    /** Optional parts of an event; {@link #build()} checks them. */
    public static final class Builder {
        private final String eventType;
        private Object payload;
        private String eventId;
        private String resourceType;
        private String resourceId;
        private Instant occurredAt;
        private String traceId;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String subject;
        private String destination;

        private Builder(String eventType, Object payload) {
            this.eventType = eventType;
            this.payload = payload;
        }

        /** A payload that is already JSON text; it is parsed, not quoted. */
        public Builder jsonPayload(String json) {
            this.payload = new RawJson(json);
            return this;
        }

        public Builder eventId(String eventId) {
            this.eventId = eventId;
            return this;
        }

        public Builder resourceType(String resourceType) {
            this.resourceType = resourceType;
            return this;
        }

        public Builder resourceId(String resourceId) {
            this.resourceId = resourceId;
            return this;
        }

        public Builder occurredAt(Instant occurredAt) {
            this.occurredAt = occurredAt;
            return this;
        }

        public Builder traceId(String traceId) {
            this.traceId = traceId;
            return this;
        }

        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        /**
         * The peer this event goes to, one of {@code jetstream.bridge.destination-apps}: it is published on
         * {@code {app}.sync.{destination}}. Needed when the application has several peers; for a copy to each of
         * several, use {@link Publisher#fanOut}.
         */
        public Builder destination(String destination) {
            this.destination = destination;
            return this;
        }

        public OutgoingEvent build() {
            return new OutgoingEvent(eventType, payload, eventId, resourceType, resourceId, occurredAt, traceId,
                    headers, subject, destination);
        }
    }

    /** JSON text given as the payload, to be embedded as it is. */
    public record RawJson(String json) {
        public RawJson {
            Objects.requireNonNull(json, "json");
        }
    }
}
