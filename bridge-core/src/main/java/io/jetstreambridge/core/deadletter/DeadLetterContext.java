package io.jetstreambridge.core.deadletter;

import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;

/**
 * The {@code x-dlq-context} header of a dead-letter message, read leniently: a missing or unreadable header gives
 * empty texts and zeros, and {@link #raw()} keeps the header as it was.
 *
 * @param eventId         the event id when it was dead-lettered
 * @param reason          {@code malformed_json}, {@code unrecoverable}, {@code max_deliver_exceeded} or
 *                        {@code no_observer}
 * @param errorClass      the exception class, {@code ""} when none
 * @param errorMessage    the exception message, {@code ""} when none
 * @param deliveries      delivery count when it was dead-lettered
 * @param originalSubject the subject it was consumed from
 * @param sequence        its stream sequence on the original subject
 * @param consumer        the durable consumer that gave up
 * @param stream          the stream
 * @param publishedAt     when the DLQ copy was published (ISO-8601 UTC), as written
 * @param raw             the header text, {@code ""} when absent
 */
public record DeadLetterContext(String eventId, String reason, String errorClass, String errorMessage,
                                long deliveries, String originalSubject, long sequence, String consumer,
                                String stream, String publishedAt, String raw) {

    public static final DeadLetterContext EMPTY = new DeadLetterContext("", "", "", "", 0, "", 0, "", "", "", "");

    /** Reads the header; never throws. */
    public static DeadLetterContext parse(String header, JsonProvider json) {
        if (header == null || header.isBlank()) {
            return EMPTY;
        }
        JsonObject o;
        try (var reader = json.createReader(new StringReader(header))) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                return withRaw(header);
            }
            o = value.asJsonObject();
        } catch (JsonException | IllegalStateException e) {
            return withRaw(header);
        }
        return new DeadLetterContext(text(o, "event_id"), text(o, "reason"), text(o, "error_class"),
                text(o, "error_message"), number(o, "deliveries"), text(o, "original_subject"),
                number(o, "sequence"), text(o, "consumer"), text(o, "stream"), text(o, "published_at"), header);
    }

    private static DeadLetterContext withRaw(String header) {
        return new DeadLetterContext("", "", "", "", 0, "", 0, "", "", "", header);
    }

    private static String text(JsonObject o, String key) {
        JsonValue v = o.get(key);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return "";
        }
        return v instanceof JsonString s ? s.getString() : v.toString();
    }

    private static long number(JsonObject o, String key) {
        JsonValue v = o.get(key);
        if (v instanceof JsonNumber n) {
            return n.longValue();
        }
        if (v instanceof JsonString s) {
            try {
                return Long.parseLong(s.getString().trim());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }
}
