package io.jetstreambridge.consume;

import io.jetstreambridge.envelope.Envelope;
import jakarta.json.JsonValue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * One received event, as observers see it: the envelope's fields, where it came from (subject, stream, stream
 * sequence), how often it was delivered, and its headers. Immutable.
 */
public final class JetstreamEvent {

    private final String eventId;
    private final Envelope envelope;
    private final String subject;
    private final String stream;
    private final long streamSequence;
    private final long deliveryCount;
    private final Map<String, List<String>> headers;
    private final BiFunction<JsonValue, Class<?>, Object> payloadReader;

    /**
     * @param eventId       the resolved event id (body, header or {@code seq:{n}}; see {@code WireHeaders})
     * @param payloadReader turns the payload into an instance of a class, e.g. with JSON-B
     */
    public JetstreamEvent(String eventId, Envelope envelope, String subject, String stream, long streamSequence,
                          long deliveryCount, Map<String, List<String>> headers,
                          BiFunction<JsonValue, Class<?>, Object> payloadReader) {
        this.eventId = Objects.requireNonNull(eventId, "eventId");
        this.envelope = Objects.requireNonNull(envelope, "envelope");
        this.subject = subject;
        this.stream = stream;
        this.streamSequence = streamSequence;
        this.deliveryCount = deliveryCount;
        this.headers = headers == null ? Map.of() : Map.copyOf(headers);
        this.payloadReader = Objects.requireNonNull(payloadReader, "payloadReader");
    }

    /**
     * The event's identity: the body's {@code event_id}; only when the body has none, the {@code Nats-Msg-Id}
     * header, else {@code seq:{stream sequence}} (unique within one stream only). The inbox records this id.
     */
    public String eventId() {
        return eventId;
    }

    public String eventType() {
        return envelope.eventType();
    }

    /** The envelope's resource type, else the part of the event type before its first dot, else {@code event}. */
    public String resourceType() {
        return envelope.resourceTypeOrInferred();
    }

    public Optional<String> resourceId() {
        return Optional.ofNullable(envelope.resourceId());
    }

    public Optional<String> producer() {
        return Optional.ofNullable(envelope.producer());
    }

    public Optional<Instant> occurredAt() {
        return envelope.occurredAtInstant();
    }

    public Optional<String> traceId() {
        return Optional.ofNullable(envelope.traceId());
    }

    public Optional<Integer> schemaVersion() {
        return Optional.ofNullable(envelope.schemaVersion());
    }

    public JsonValue payload() {
        return envelope.payload();
    }

    /**
     * The payload as an instance of the given class: in a container with the same JSON-B the application's
     * publisher writes with ({@code jetstream.bridge.payload.naming}, or its {@code @BridgeJsonb Jsonb}).
     */
    public <T> T payloadAs(Class<T> type) {
        return type.cast(payloadReader.apply(envelope.payload(), type));
    }

    public String subject() {
        return subject;
    }

    public String stream() {
        return stream;
    }

    public long streamSequence() {
        return streamSequence;
    }

    /** 1 on the first delivery. */
    public long deliveryCount() {
        return deliveryCount;
    }

    public Map<String, List<String>> headers() {
        return headers;
    }

    public Envelope envelope() {
        return envelope;
    }

    @Override
    public String toString() {
        return "JetstreamEvent[" + eventId + " " + envelope.eventType() + " from " + subject + " #" + streamSequence
                + ", delivery " + deliveryCount + "]";
    }
}
