package io.jetstreambridge.envelope;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One golden message of the wire contract, read from {@code src/test/resources/contract/{name}.json} (a
 * byte-identical copy of {@code shared/contract}): the subject, the headers and the exact body bytes a Rails app
 * on the Ruby gem sends.
 */
record GoldenMessage(String name, String subject, Map<String, List<String>> headers, byte[] body) {

    static GoldenMessage load(String name) {
        String resource = "/contract/" + name;
        try (InputStream in = GoldenMessage.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource
                        + ": copy it byte for byte from shared/contract/");
            }
            try (JsonReader reader = Json.createReader(in)) {
                JsonObject file = reader.readObject();
                Map<String, List<String>> headers = new LinkedHashMap<>();
                file.getJsonObject("headers").forEach((key, value) -> headers.put(key, List.of(text(value))));
                return new GoldenMessage(name, file.getString("subject"), Map.copyOf(headers),
                        file.getString("body").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    private static String text(JsonValue value) {
        return ((JsonString) value).getString();
    }
}
