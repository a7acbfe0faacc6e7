package io.jetstreambridge.core.deadletter;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which dead letters a bulk replay takes ({@link DeadLetterOperations#replayMatching}): each part that is set must
 * match, an unset part (null) matches everything, so {@link #ALL} takes every waiting entry.
 *
 * @param reason      the {@code x-dlq-reason}, e.g. {@code max_deliver_exceeded}
 * @param eventType   the body's {@code event_type} (an entry whose body is not an envelope has none)
 * @param storedFrom  stored (dead-lettered) at or after
 * @param storedUntil stored before
 */
public record DeadLetterFilter(String reason, String eventType, Instant storedFrom, Instant storedUntil) {

    public static final DeadLetterFilter ALL = new DeadLetterFilter(null, null, null, null);

    public DeadLetterFilter {
        reason = blankToNull(reason);
        eventType = blankToNull(eventType);
        if (storedFrom != null && storedUntil != null && !storedFrom.isBefore(storedUntil)) {
            throw new IllegalArgumentException("the time range is empty: from " + storedFrom + " until "
                    + storedUntil);
        }
    }

    public DeadLetterFilter withReason(String reason) {
        return new DeadLetterFilter(reason, eventType, storedFrom, storedUntil);
    }

    public DeadLetterFilter withEventType(String eventType) {
        return new DeadLetterFilter(reason, eventType, storedFrom, storedUntil);
    }

    public DeadLetterFilter storedBetween(Instant from, Instant until) {
        return new DeadLetterFilter(reason, eventType, from, until);
    }

    /** True when no part is set. */
    public boolean takesAll() {
        return reason == null && eventType == null && storedFrom == null && storedUntil == null;
    }

    /** Whether this entry matches; replay records never do. */
    public boolean matches(DeadLetter letter, JsonProvider json) {
        if (letter.isReplayed()) {
            return false;
        }
        if (reason != null && !reason.equals(letter.reason())) {
            return false;
        }
        if (storedFrom != null && letter.storedAt().isBefore(storedFrom)) {
            return false;
        }
        if (storedUntil != null && !letter.storedAt().isBefore(storedUntil)) {
            return false;
        }
        return eventType == null || eventType(letter, json).filter(eventType::equals).isPresent();
    }

    /** The body's {@code event_type}; empty when the body is not a JSON object with one. */
    static Optional<String> eventType(DeadLetter letter, JsonProvider json) {
        try (JsonReader reader = json.createReader(new ByteArrayInputStream(letter.body()))) {
            JsonValue value = reader.readValue();
            if (value instanceof JsonObject object && object.get("event_type") instanceof JsonString type) {
                return Optional.of(type.getString());
            }
            return Optional.empty();
        } catch (JsonException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    /** The parts that are set, for logs and answers, e.g. {@code reason=unrecoverable, event-type=order.created}. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (reason != null) {
            parts.add("reason=" + reason);
        }
        if (eventType != null) {
            parts.add("event-type=" + eventType);
        }
        if (storedFrom != null) {
            parts.add("stored-from=" + storedFrom);
        }
        if (storedUntil != null) {
            parts.add("stored-until=" + storedUntil);
        }
        return parts.isEmpty() ? "all" : String.join(", ", parts);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
