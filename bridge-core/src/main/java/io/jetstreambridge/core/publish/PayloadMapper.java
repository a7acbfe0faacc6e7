package io.jetstreambridge.core.publish;

import io.jetstreambridge.config.PayloadSettings;
import io.jetstreambridge.publish.OutgoingEvent;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.JsonbException;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * Maps payloads between Java and JSON, one {@code Jsonb} for both directions: publishing (JSON-P values as they
 * are, raw JSON text parsed, anything else as JSON-B writes it) and reading ({@code JetstreamEvent.payloadAs}).
 *
 * <p>Maps with text keys, collections, strings, booleans, whole numbers, {@code BigDecimal} and finite doubles are
 * built into JSON-P directly, with the same result as JSON-B's text parsed back: the round trip through text cost
 * more than half of a direct publish's own work. Other values (beans, records, dates, floats...), at any depth, go
 * through JSON-B, so its configuration and adapters apply to them as before. A property naming strategy changes
 * only the names of bean and record properties, which always go through JSON-B, so the direct path stays exact
 * for the bridge's own {@link #jsonb(PayloadSettings.Naming) Jsonb}; an application's own {@code Jsonb} may
 * write any value its own way (a serializer for {@code BigDecimal}, nulls left out), so with it every value goes
 * through JSON-B ({@link #throughJsonbOnly}).
 */
public final class PayloadMapper {

    private final Jsonb jsonb;
    private final JsonProvider json;
    private final JsonReaderFactory readers;
    private final boolean direct;

    /** Builds common values directly; for a {@code Jsonb} that writes them as JSON-B's defaults do. */
    public PayloadMapper(Jsonb jsonb, JsonProvider json) {
        this(jsonb, json, true);
    }

    private PayloadMapper(Jsonb jsonb, JsonProvider json, boolean direct) {
        this.jsonb = Objects.requireNonNull(jsonb, "jsonb");
        this.json = Objects.requireNonNull(json, "json");
        this.readers = json.createReaderFactory(Map.of());
        this.direct = direct;
    }

    /** Every value that is not JSON-P or raw JSON through the given {@code Jsonb}: for an application's own. */
    public static PayloadMapper throughJsonbOnly(Jsonb jsonb, JsonProvider json) {
        return new PayloadMapper(jsonb, json, false);
    }

    /** The bridge's own {@code Jsonb} for {@code payload.naming}; the caller closes it. */
    public static Jsonb jsonb(PayloadSettings.Naming naming) {
        return JsonbBuilder.create(new JsonbConfig().withPropertyNamingStrategy(naming.jsonbStrategy()));
    }

    /** @throws IllegalArgumentException when the payload cannot be represented as JSON */
    public JsonValue toJson(Object payload) {
        if (payload instanceof OutgoingEvent.RawJson raw) {
            return parse(raw.json(), "the raw JSON payload");
        }
        if (!direct && !(payload instanceof JsonValue)) {
            return viaJsonb(payload);
        }
        return value(payload);
    }

    /**
     * A received payload as an instance of {@code type}, read with the same {@code Jsonb} as {@link #toJson}
     * writes with.
     *
     * @throws jakarta.json.bind.JsonbException when JSON-B cannot read it as that type
     */
    public <T> T fromJson(JsonValue payload, Class<T> type) {
        return jsonb.fromJson(payload.toString(), type);
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
