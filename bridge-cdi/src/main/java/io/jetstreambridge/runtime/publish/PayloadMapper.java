package io.jetstreambridge.runtime.publish;

import io.jetstreambridge.publish.OutgoingEvent;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbException;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a caller's payload into JSON: JSON-P values as they are, raw JSON text parsed, anything else as JSON-B
 * writes it.
 *
 * <p>Maps with text keys, collections, strings, booleans, whole numbers, {@code BigDecimal} and finite doubles are
 * built into JSON-P directly, with the same result as JSON-B's text parsed back: the round trip through text cost
 * more than half of a direct publish's own work. Other values (beans, records, dates, floats...), at any depth, go
 * through JSON-B, so its configuration and adapters apply to them as before.
 */
public final class PayloadMapper {

    private final Jsonb jsonb;
    private final JsonProvider json;
    private final JsonReaderFactory readers;

    public PayloadMapper(Jsonb jsonb, JsonProvider json) {
        this.jsonb = Objects.requireNonNull(jsonb, "jsonb");
        this.json = Objects.requireNonNull(json, "json");
        this.readers = json.createReaderFactory(Map.of());
    }

    /** @throws IllegalArgumentException when the payload cannot be represented as JSON */
    public JsonValue toJson(Object payload) {
        if (payload instanceof OutgoingEvent.RawJson raw) {
            return parse(raw.json(), "the raw JSON payload");
        }
        return value(payload);
    }

    private JsonValue value(Object value) {
        if (value instanceof JsonValue json) {
            return json;
        }
        if (value instanceof String text) {
            return json.createValue(text);
        }
        if (value instanceof Boolean bool) {
            return bool ? JsonValue.TRUE : JsonValue.FALSE;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return json.createValue(((Number) value).longValue());
        }
        if (value instanceof BigDecimal decimal) {
            return json.createValue(decimal);
        }
        if (value instanceof BigInteger integer) {
            return json.createValue(integer);
        }
        if (value instanceof Double number && Double.isFinite(number)) {
            return json.createValue(number.doubleValue());
        }
        if (value instanceof Map<?, ?> map && textKeys(map)) {
            JsonObjectBuilder object = json.createObjectBuilder();
            map.forEach((key, entry) -> object.add((String) key, entry == null ? JsonValue.NULL : value(entry)));
            return object.build();
        }
        if (value instanceof Collection<?> collection) {
            JsonArrayBuilder array = json.createArrayBuilder();
            collection.forEach(entry -> array.add(entry == null ? JsonValue.NULL : value(entry)));
            return array.build();
        }
        return viaJsonb(value);
    }

    private static boolean textKeys(Map<?, ?> map) {
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                return false;
            }
        }
        return true;
    }

    private JsonValue viaJsonb(Object value) {
        try {
            return parse(jsonb.toJson(value), "the JSON-B output");
        } catch (JsonbException e) {
            throw new IllegalArgumentException("payload of type " + value.getClass().getName()
                    + " cannot be serialised with JSON-B: " + e.getMessage(), e);
        }
    }

    private JsonValue parse(String text, String what) {
        try (JsonReader reader = readers.createReader(new StringReader(text))) {
            return reader.readValue();
        } catch (JsonException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + e.getMessage(), e);
        }
    }
}
