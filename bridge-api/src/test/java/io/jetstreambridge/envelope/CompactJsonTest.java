package io.jetstreambridge.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The hand-written encoder against the oracle it replaced: a JSON-P generator writing the same envelope. Same
 * bytes for every character a string can hold and every kind of value a payload can have.
 */
class CompactJsonTest {

    private final EnvelopeCodec codec = new EnvelopeCodec();

    private static byte[] viaGenerator(Envelope envelope) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = Json.createGenerator(out)) {
            g.writeStartObject();
            optional(g, "event_id", envelope.eventId());
            if (envelope.schemaVersion() != null) {
                g.write("schema_version", envelope.schemaVersion());
            }
            g.write("event_type", envelope.eventType());
            optional(g, "producer", envelope.producer());
            optional(g, "resource_id", envelope.resourceId());
            optional(g, "occurred_at", envelope.occurredAt());
            optional(g, "trace_id", envelope.traceId());
            optional(g, "resource_type", envelope.resourceType());
            g.write("payload", envelope.payload());
            g.writeEnd();
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void optional(JsonGenerator g, String key, String value) {
        if (value != null) {
            g.write(key, value);
        }
    }

    private void sameBytes(Envelope envelope) {
        assertThat(new String(codec.encode(envelope), StandardCharsets.UTF_8))
                .isEqualTo(new String(viaGenerator(envelope), StandardCharsets.UTF_8));
    }

    private static Envelope envelope(String text, JsonValue payload) {
        return new Envelope(text, 1, "order." + text, text, text, "2026-11-27T09:00:00Z", text, text, payload);
    }

    @Test
    void everyCharacterIsEscapedAsTheGeneratorEscapesIt() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x3000; c++) {
            all.append(c);
        }
        all.append("\u2028\u2029\ud83d\ude00\udbff\udfff \uffff");
        String text = all.toString();
        sameBytes(envelope(text, Json.createObjectBuilder().add(text, text).build()));
        // a lone surrogate is refused: the generator would write it as '?', a silent change of the text
        for (String lone : new String[] {"\ud800", "a\udfff", "\ude00\ud83d"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> codec.encode(envelope("e",
                    Json.createArrayBuilder().add(lone).build()))).hasMessageContaining("payload[0] has a lone surrogate");
        }
        for (char c = 0; c < 0x80; c++) {
            String one = "a" + c + "b" + c;
            sameBytes(envelope(one, Json.createArrayBuilder().add(one).build()));
        }
    }

    @Test
    void payloadsOfEveryShapeMatch() {
        JsonObjectBuilder payload = Json.createObjectBuilder()
                .add("id", 42).add("long", Long.MIN_VALUE).add("big", new BigInteger("123456789012345678901234567890"))
                .add("dec", new BigDecimal("19.990")).add("exp", new BigDecimal("1E+10")).add("double", 0.1)
                .add("huge", 1.0E300).add("t", true).add("f", false).addNull("n").add("s", "ACME \"q\"")
                .add("empty", Json.createObjectBuilder()).add("none", Json.createArrayBuilder())
                .add("lines", Json.createArrayBuilder().add(Json.createObjectBuilder().add("sku", "A-1").add("qty", 2))
                        .add(1).add("x").addNull().add(JsonValue.TRUE).add(Json.createArrayBuilder().add(2.5)));
        sameBytes(envelope("e", payload.build()));
        sameBytes(envelope("e", Json.createValue("a string payload")));
        sameBytes(envelope("e", Json.createValue(7)));
        sameBytes(envelope("e", JsonValue.NULL));
        sameBytes(new Envelope(null, null, "x", null, null, null, null, null, JsonValue.EMPTY_JSON_ARRAY));
        sameBytes(codec.decode("{\"event_type\":\"a\",\"payload\":{\"n\":1.50e3,\"m\":-0.0,\"u\":\"\\u00e9\"}}"
                .getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void randomDocumentsMatch() {
        Random random = new Random(20261127);
        for (int i = 0; i < 300; i++) {
            sameBytes(envelope(randomText(random), randomValue(random, 3)));
        }
    }

    private static JsonValue randomValue(Random random, int depth) {
        int kind = random.nextInt(depth > 0 ? 8 : 6);
        return switch (kind) {
            case 0 -> Json.createValue(randomText(random));
            case 1 -> Json.createValue(random.nextLong());
            case 2 -> Json.createValue(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            case 3 -> Json.createValue(new BigDecimal(random.nextLong()).movePointLeft(random.nextInt(12)));
            case 4 -> random.nextBoolean() ? JsonValue.TRUE : JsonValue.FALSE;
            case 5 -> JsonValue.NULL;
            case 6 -> {
                JsonObjectBuilder object = Json.createObjectBuilder();
                for (int n = random.nextInt(5); n > 0; n--) {
                    object.add(randomText(random), randomValue(random, depth - 1));
                }
                yield object.build();
            }
            default -> {
                JsonArrayBuilder array = Json.createArrayBuilder();
                for (int n = random.nextInt(5); n > 0; n--) {
                    array.add(randomValue(random, depth - 1));
                }
                yield array.build();
            }
        };
    }

    private static String randomText(Random random) {
        List<Character> chars = new ArrayList<>();
        for (int n = random.nextInt(12); n > 0; n--) {
            chars.add((char) (random.nextInt(4) == 0 ? random.nextInt(0x40) : random.nextInt(0xFFFF)));
        }
        StringBuilder text = new StringBuilder();
        chars.forEach(text::append);
        // surrogates only in pairs (a lone one is refused, see above)
        // (a regex walks code points: a pair is one astral code point, outside this range)
        return text.toString().replaceAll("[\\ud800-\\udfff]", "\ud83d\ude00");
    }
}
