package io.jetstreambridge.envelope;

import io.jetstreambridge.publish.EventText;
import io.jetstreambridge.publish.OutgoingEvent;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Builds envelopes by the wire contract's rules: what the caller gave wins, the rest is generated or inferred
 * exactly as the Ruby gem does it.
 */
public final class EnvelopeFactory {

    private static final DateTimeFormatter OCCURRED_AT = DateTimeFormatter.ISO_INSTANT;

    private final String producer;
    private final Clock clock;
    /** The last second written as {@code occurred_at}: events published in one second share the text. */
    private volatile Second lastSecond = new Second(Long.MIN_VALUE, null);

    private record Second(long epochSecond, String text) {
    }

    public EnvelopeFactory(String producer, Clock clock) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param event   what the caller asked for
     * @param payload the event's payload already converted to JSON
     */
    public Envelope create(OutgoingEvent event, JsonValue payload) {
        String eventId = event.eventId() != null ? event.eventId() : UUID.randomUUID().toString();
        String resourceId = event.resourceId() != null ? event.resourceId() : inferResourceId(payload);
        if (event.resourceId() == null) {
            EventText.requireIdentifier("resourceId (the payload's id)", resourceId);
        }
        String resourceType = event.resourceType() != null ? event.resourceType()
                : inferResourceType(event.eventType());
        Instant occurredAt = event.occurredAt() != null ? event.occurredAt() : clock.instant();
        String traceId = event.traceId() != null ? event.traceId() : newTraceId();
        return new Envelope(eventId, Envelope.SCHEMA_VERSION, event.eventType(), producer, resourceId,
                occurredAtText(occurredAt), traceId, resourceType, payload);
    }

    /**
     * {@link #formatOccurredAt}, written once per second: the formatter took as long as the rest of the envelope's
     * fields together, for a text that changes once a second.
     */
    private String occurredAtText(Instant instant) {
        Second last = lastSecond;
        if (last.epochSecond() == instant.getEpochSecond()) {
            return last.text();
        }
        String text = formatOccurredAt(instant);
        lastSecond = new Second(instant.getEpochSecond(), text);
        return text;
    }

    /** ISO-8601 UTC in whole seconds, e.g. {@code 2026-11-26T17:04:05Z}. */
    public static String formatOccurredAt(Instant instant) {
        return OCCURRED_AT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** The part of the event type before its first dot, else {@code event}. */
    public static String inferResourceType(String eventType) {
        int dot = eventType.indexOf('.');
        return dot > 0 ? eventType.substring(0, dot) : "event";
    }

    /** The payload's {@code id}, else its {@code resource_id}, else the empty string; always text. */
    public static String inferResourceId(JsonValue payload) {
        if (payload instanceof JsonObject object) {
            for (String key : new String[] {"id", "resource_id"}) {
                String id = scalarText(object.get(key));
                if (id != null) {
                    return id;
                }
            }
        }
        return "";
    }

    /** 16 lowercase hex characters. */
    public static String newTraceId() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    private static String scalarText(JsonValue value) {
        if (value instanceof JsonString string) {
            return string.getString();
        }
        if (value instanceof JsonNumber number) {
            return number.toString();
        }
        return null;
    }
}
