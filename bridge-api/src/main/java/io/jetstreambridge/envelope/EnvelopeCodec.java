package io.jetstreambridge.envelope;

import io.jetstreambridge.publish.EventText;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Writes envelopes as compact UTF-8 JSON with the contract's key order, and reads them leniently: optional keys
 * may be missing or of another type, unknown keys are ignored, but {@code event_type} and {@code payload} are
 * required. Thread-safe; keep one per application, since looking up a JSON-P provider is costly.
 */
public final class EnvelopeCodec {

    private final JsonParserFactory parsers;

    public EnvelopeCodec() {
        this(JsonProvider.provider());
    }

    public EnvelopeCodec(JsonProvider json) {
        this.parsers = json.createParserFactory(Map.of());
    }

    /**
     * The exact bytes a Ruby producer would send for the same envelope.
     *
     * @throws IllegalArgumentException when a string holds a lone surrogate (see {@link EventText}), naming where
     */
    public byte[] encode(Envelope envelope) {
        StringBuilder out = new StringBuilder(384);
        out.append('{');
        field(out, "event_id", envelope.eventId());
        if (envelope.schemaVersion() != null) {
            out.append("\"schema_version\":").append(envelope.schemaVersion().intValue()).append(',');
        }
        field(out, "event_type", envelope.eventType());
        field(out, "producer", envelope.producer());
        field(out, "resource_id", envelope.resourceId());
        field(out, "occurred_at", envelope.occurredAt());
        field(out, "trace_id", envelope.traceId());
        field(out, "resource_type", envelope.resourceType());
        out.append("\"payload\":");
        try {
            CompactJson.value(out, envelope.payload());
        } catch (CompactJson.LoneSurrogate e) {
            throw EventText.loneSurrogateIn("payload" + e.path, e.value, e.index);
        }
        out.append('}');
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void field(StringBuilder out, String key, String value) {
        if (value != null) {
            out.append('"').append(key).append("\":");
            try {
                CompactJson.string(out, value);
            } catch (CompactJson.LoneSurrogate e) {
                throw EventText.loneSurrogateIn(key, e.value, e.index);
            }
            out.append(',');
        }
    }

    /**
     * @throws MalformedEnvelopeException when the body is not a JSON object with {@code event_type} and
     *                                    {@code payload}
     */
    public Envelope decode(byte[] body) {
        if (body == null || body.length == 0) {
            throw new MalformedEnvelopeException("empty message body");
        }
        JsonObject object;
        // text first, then a parser on a reader of it: a parser on the bytes reads them through an InputStreamReader,
        // whose decoder allocates an 8 KiB buffer per message (half the decoding's time); the String's decoding
        // replaces malformed UTF-8 just as that reader does
        try (JsonParser parser = parsers.createParser(new StringReader(new String(body, StandardCharsets.UTF_8)))) {
            parser.next();
            JsonValue value = parser.getValue();
            if (parser.hasNext()) { // content after the value: Ruby's JSON.parse rejects it too
                throw new MalformedEnvelopeException("body has content after the JSON value");
            }
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new MalformedEnvelopeException("body is JSON " + value.getValueType().name().toLowerCase()
                        + ", not an object");
            }
            object = value.asJsonObject();
        } catch (JsonException | NoSuchElementException e) {
            throw new MalformedEnvelopeException("body is not valid JSON: " + e.getMessage(), e);
        } catch (NumberFormatException e) {
            // JSON-P parses numbers into BigDecimal; one it cannot represent (e.g. 1e99999999999) is poison too
            throw new MalformedEnvelopeException("body has a number that cannot be read: " + e.getMessage(), e);
        }
        String eventType = text(object.get("event_type"));
        if (eventType == null || eventType.isBlank()) {
            throw new MalformedEnvelopeException("envelope has no event_type");
        }
        JsonValue payload = object.get("payload");
        if (payload == null || payload.getValueType() == JsonValue.ValueType.NULL) {
            throw new MalformedEnvelopeException("envelope has no payload");
        }
        return new Envelope(text(object.get("event_id")), schemaVersion(object.get("schema_version")), eventType,
                text(object.get("producer")), text(object.get("resource_id")), text(object.get("occurred_at")),
                text(object.get("trace_id")), text(object.get("resource_type")), payload);
    }

    /** The payload as compact JSON text. */
    public String toJson(JsonValue value) {
        return value.toString();
    }

    /** Strings as they are, numbers and booleans as their JSON text, anything else as absent. */
    static String text(JsonValue value) {
        if (value == null) {
            return null;
        }
        return switch (value.getValueType()) {
            case STRING -> ((JsonString) value).getString();
            case NUMBER, TRUE, FALSE -> value.toString();
            default -> null;
        };
    }

    private static Integer schemaVersion(JsonValue value) {
        if (value instanceof JsonNumber number && number.isIntegral()) {
            return number.intValue();
        }
        if (value instanceof JsonString string) {
            try {
                return Integer.valueOf(string.getString().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
