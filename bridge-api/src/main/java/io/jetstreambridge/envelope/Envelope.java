package io.jetstreambridge.envelope;

import jakarta.json.JsonValue;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * The message body of the wire contract. Optional fields are {@code null} when a received message lacks them;
 * envelopes built by {@link EnvelopeFactory} have all of them.
 *
 * @param eventId       UUID v4 unless the producer chose one; also the dedupe id
 * @param schemaVersion {@code 1}; {@code null} when absent on a received message
 * @param eventType     required, e.g. {@code order.created}
 * @param producer      the publishing app's name
 * @param resourceId    always a string on the wire
 * @param occurredAt    ISO-8601 UTC text as sent, e.g. {@code 2026-11-26T17:04:05Z}
 * @param traceId       16 lowercase hex characters unless the producer chose one
 * @param resourceType  e.g. {@code order}
 * @param payload       required; usually an object
 */
public record Envelope(String eventId, Integer schemaVersion, String eventType, String producer, String resourceId,
                       String occurredAt, String traceId, String resourceType, JsonValue payload) {

    public static final int SCHEMA_VERSION = 1;

    public Envelope {
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(payload, "payload");
    }

    /** {@link #occurredAt} as an instant, when present and readable. */
    public Optional<Instant> occurredAtInstant() {
        if (occurredAt == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(occurredAt));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The resource type, inferred from the event type when the message did not carry one. */
    public String resourceTypeOrInferred() {
        return resourceType != null ? resourceType : EnvelopeFactory.inferResourceType(eventType);
    }
}
