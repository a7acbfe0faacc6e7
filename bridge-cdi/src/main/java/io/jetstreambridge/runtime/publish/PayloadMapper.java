package io.jetstreambridge.runtime.publish;

import io.jetstreambridge.publish.OutgoingEvent;
import jakarta.json.JsonException;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbException;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;
import java.util.Map;
import java.util.Objects;

/** Turns a caller's payload into JSON: JSON-P values as they are, raw JSON text parsed, anything else by JSON-B. */
public final class PayloadMapper {

    private final Jsonb jsonb;
    private final JsonReaderFactory readers;

    public PayloadMapper(Jsonb jsonb, JsonProvider json) {
        this.jsonb = Objects.requireNonNull(jsonb, "jsonb");
        this.readers = json.createReaderFactory(Map.of());
    }

    /** @throws IllegalArgumentException when the payload cannot be represented as JSON */
    public JsonValue toJson(Object payload) {
        if (payload instanceof JsonValue value) {
            return value;
        }
        if (payload instanceof OutgoingEvent.RawJson raw) {
            return parse(raw.json(), "the raw JSON payload");
        }
        try {
            return parse(jsonb.toJson(payload), "the JSON-B output");
        } catch (JsonbException e) {
            throw new IllegalArgumentException("payload of type " + payload.getClass().getName()
                    + " cannot be serialised with JSON-B: " + e.getMessage(), e);
        }
    }

    private JsonValue parse(String json, String what) {
        try (JsonReader reader = readers.createReader(new StringReader(json))) {
            return reader.readValue();
        } catch (JsonException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + e.getMessage(), e);
        }
    }
}
