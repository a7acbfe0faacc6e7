package io.jetstreambridge.core.outbox;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Extra headers in the {@code headers} column: a JSON object of strings, or NULL when there are none. */
final class HeadersJson {

    private final JsonProvider json;

    HeadersJson(JsonProvider json) {
        this.json = json;
    }

    /** The column value: null for no headers, else a JSON object (keys sorted, so equal maps give equal text). */
    String write(Map<String, String> headers) {
        if (headers.isEmpty()) {
            return null;
        }
        JsonObjectBuilder object = json.createObjectBuilder();
        new TreeMap<>(headers).forEach(object::add);
        String text = object.build().toString();
        if (text.length() > OutboxEvent.MAX_HEADERS_LENGTH) {
            throw new IllegalArgumentException("the headers of an outbox event take " + text.length()
                    + " characters as JSON; the column holds " + OutboxEvent.MAX_HEADERS_LENGTH);
        }
        return text;
    }

    /** The headers of a column value written by {@link #write}. */
    Map<String, String> read(String text) {
        if (text == null || text.isEmpty()) {
            return Map.of();
        }
        JsonObject object;
        try (JsonReader reader = json.createReader(new StringReader(text))) {
            object = reader.readObject();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        object.forEach((name, value) -> headers.put(name, value.getValueType() == JsonValue.ValueType.STRING
                ? ((JsonString) value).getString() : value.toString()));
        return headers;
    }
}
