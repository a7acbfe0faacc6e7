package io.jetstreambridge.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.Json;
import jakarta.json.JsonValue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading bodies leniently but rejecting poison, and writing the contract's compact key order. */
class EnvelopeCodecTest {

    private final EnvelopeCodec codec = new EnvelopeCodec();

    private Envelope decode(String body) {
        return codec.decode(body.getBytes(StandardCharsets.UTF_8));
    }

    @Nested
    class PoisonBodies {

        @Test
        void missingPayloadIsMalformed() {
            assertThatThrownBy(() -> decode("{\"event_id\":\"e-1\",\"event_type\":\"order.created\"}"))
                    .isInstanceOf(MalformedEnvelopeException.class)
                    .hasMessageContaining("payload");
        }

        @Test
        void nullPayloadIsMalformed() {
            assertThatThrownBy(() -> decode("{\"event_type\":\"order.created\",\"payload\":null}"))
                    .isInstanceOf(MalformedEnvelopeException.class)
                    .hasMessageContaining("payload");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "\"\"", "\"   \""})
        void blankEventTypeIsMalformed(String eventType) {
            String body = "{" + (eventType.isEmpty() ? "" : "\"event_type\":" + eventType + ",") + "\"payload\":{}}";

            assertThatThrownBy(() -> decode(body))
                    .isInstanceOf(MalformedEnvelopeException.class)
                    .hasMessageContaining("event_type");
        }

        @Test
        void jsonArrayBodyIsMalformed() {
            assertThatThrownBy(() -> decode("[{\"event_type\":\"order.created\",\"payload\":{}}]"))
                    .isInstanceOf(MalformedEnvelopeException.class)
                    .hasMessageContaining("array");
        }

        @ParameterizedTest
        @ValueSource(strings = {"null", "42", "\"order.created\"", "true"})
        void jsonScalarBodyIsMalformed(String body) {
            assertThatThrownBy(() -> decode(body)).isInstanceOf(MalformedEnvelopeException.class);
        }

        @Test
        void emptyBodyIsMalformed() {
            assertThatThrownBy(() -> codec.decode(new byte[0]))
                    .isInstanceOf(MalformedEnvelopeException.class)
                    .hasMessageContaining("empty");
        }

        @Test
        void nullBodyIsMalformed() {
            assertThatThrownBy(() -> codec.decode(null)).isInstanceOf(MalformedEnvelopeException.class);
        }

        @ParameterizedTest
        @ValueSource(strings = {" ", "\n\t ", "{", "{\"event_type\":\"a\",\"payload\":{}", "not json",
                "{'event_type':'a','payload':{}}", "\uFEFF{\"event_type\":\"a\",\"payload\":{}}"})
        void textThatIsNotJsonIsMalformed(String body) {
            assertThatThrownBy(() -> decode(body)).isInstanceOf(MalformedEnvelopeException.class);
        }

        @Test
        void bytesThatAreNotUtf8TextAreMalformed() {
            byte[] body = {(byte) 0xff, (byte) 0xfe, (byte) 0x00, (byte) 0x7b};

            assertThatThrownBy(() -> codec.decode(body)).isInstanceOf(MalformedEnvelopeException.class);
        }

        /**
         * Malformed UTF-8 inside a string is read as U+FFFD, as an {@code InputStreamReader} reads it (how the codec
         * read bodies before it decoded them to text first): the same bytes give the same event type.
         */
        @ParameterizedTest
        @ValueSource(strings = {"ff", "c3", "e2 82", "f0 9f 98", "ed a0 80", "c0 af", "f8 88 80 80 80", "80 80",
                "e2 28 a1", "f4 90 80 80", "61 ff 62 c3 28 63"})
        void malformedUtf8InAStringReadsAsAReaderReadsIt(String hex) throws Exception {
            byte[] bad = java.util.HexFormat.ofDelimiter(" ").parseHex(hex);
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            body.writeBytes("{\"event_type\":\"a.".getBytes(StandardCharsets.UTF_8));
            body.writeBytes(bad);
            body.writeBytes("\",\"payload\":{}}".getBytes(StandardCharsets.UTF_8));
            String read;
            try (java.io.Reader reader = new java.io.InputStreamReader(
                    new java.io.ByteArrayInputStream(body.toByteArray()), StandardCharsets.UTF_8)) {
                read = Json.createReader(reader).readObject().getString("event_type");
            }

            assertThat(codec.decode(body.toByteArray()).eventType()).isEqualTo(read).contains("\uFFFD");
        }

        /** A Ruby consumer's JSON.parse rejects these, so a Java consumer must dead-letter them too. */
        @ParameterizedTest
        @ValueSource(strings = {"{\"event_type\":\"a\",\"payload\":{}} x", "{\"event_type\":\"a\",\"payload\":{}}{}",
                "{\"event_type\":\"a\",\"payload\":{}}]", "{\"event_type\":\"a\",\"payload\":{}} 42"})
        void contentAfterTheObjectIsMalformed(String body) {
            assertThatThrownBy(() -> decode(body)).isInstanceOf(MalformedEnvelopeException.class);
        }

        /** A number the parser cannot represent must be a poison message, not a crash of the consumer. */
        @Test
        void unreadableNumberIsMalformedNotACrash() {
            assertThatThrownBy(() -> decode("{\"event_type\":\"a\",\"payload\":{\"x\":1e99999999999}}"))
                    .isInstanceOf(MalformedEnvelopeException.class);
        }

        @Test
        void trailingWhitespaceIsFine() {
            assertThat(decode("{\"event_type\":\"a\",\"payload\":{}}\r\n  ").eventType()).isEqualTo("a");
        }
    }

    @Nested
    class LenientReading {

        @Test
        void unknownExtraKeysAreIgnored() {
            Envelope envelope = decode("{\"event_type\":\"order.created\",\"payload\":{\"id\":1},"
                    + "\"x_custom\":{\"deep\":[1,2]},\"schema_version\":1,\"source\":\"legacy\"}");

            assertThat(envelope.eventType()).isEqualTo("order.created");
            assertThat(envelope.schemaVersion()).isEqualTo(1);
            assertThat(envelope.payload()).isEqualTo(Json.createObjectBuilder().add("id", 1).build());
        }

        @Test
        void keysInAnyOrderAreRead() {
            Envelope envelope = decode("{\"payload\":{},\"trace_id\":\"t\",\"event_type\":\"a.b\",\"event_id\":\"e\"}");

            assertThat(envelope.eventId()).isEqualTo("e");
            assertThat(envelope.traceId()).isEqualTo("t");
            assertThat(envelope.eventType()).isEqualTo("a.b");
        }

        @Test
        void everyOptionalKeyMayBeMissing() {
            Envelope envelope = decode("{\"event_type\":\"shipment.sent\",\"payload\":{}}");

            assertThat(envelope.eventId()).isNull();
            assertThat(envelope.schemaVersion()).isNull();
            assertThat(envelope.producer()).isNull();
            assertThat(envelope.resourceId()).isNull();
            assertThat(envelope.occurredAt()).isNull();
            assertThat(envelope.traceId()).isNull();
            assertThat(envelope.resourceType()).isNull();
            assertThat(envelope.resourceTypeOrInferred()).isEqualTo("shipment");
        }

        @Test
        void optionalKeysOfAnotherTypeAreReadAsTextOrIgnored() {
            Envelope envelope = decode("{\"event_type\":\"a\",\"payload\":{},\"resource_id\":42,"
                    + "\"schema_version\":\"1\",\"producer\":{\"name\":\"x\"},\"trace_id\":null,"
                    + "\"occurred_at\":\"yesterday\"}");

            assertThat(envelope.resourceId()).isEqualTo("42");
            assertThat(envelope.schemaVersion()).isEqualTo(1);
            assertThat(envelope.producer()).isNull();
            assertThat(envelope.traceId()).isNull();
            assertThat(envelope.occurredAt()).isEqualTo("yesterday");
            assertThat(envelope.occurredAtInstant()).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"[1,2]", "\"text\"", "3.5", "false", "{}"})
        void payloadNeedNotBeAnObject(String payload) {
            Envelope envelope = decode("{\"event_type\":\"a\",\"payload\":" + payload + "}");

            assertThat(envelope.payload().toString()).isEqualTo(payload);
        }

        @Test
        void nonAsciiTextSurvivesTheRoundTrip() {
            Envelope envelope = decode("{\"event_type\":\"kunde.geändert\",\"payload\":{\"name\":\"Jörg ✓ 日本\"}}");

            assertThat(envelope.eventType()).isEqualTo("kunde.geändert");
            assertThat(envelope.payload().asJsonObject().getString("name")).isEqualTo("Jörg ✓ 日本");
        }
    }

    @Nested
    class Writing {

        @Test
        void writesCompactJsonInTheContractsKeyOrder() {
            Envelope envelope = new Envelope("e-1", 1, "order.created", "orders", "42", "2026-11-26T17:04:05Z",
                    "0123456789abcdef", "order", Json.createObjectBuilder().add("id", 42).build());

            assertThat(new String(codec.encode(envelope), StandardCharsets.UTF_8)).isEqualTo(
                    "{\"event_id\":\"e-1\",\"schema_version\":1,\"event_type\":\"order.created\","
                            + "\"producer\":\"orders\",\"resource_id\":\"42\","
                            + "\"occurred_at\":\"2026-11-26T17:04:05Z\",\"trace_id\":\"0123456789abcdef\","
                            + "\"resource_type\":\"order\",\"payload\":{\"id\":42}}");
        }

        @Test
        void writesUtf8WithoutEscapingNonAscii() {
            Envelope envelope = new Envelope("e", 1, "a", "p", "", "t", "x", "a",
                    Json.createValue("Jörg ✓"));

            String json = new String(codec.encode(envelope), StandardCharsets.UTF_8);

            assertThat(json).endsWith("\"payload\":\"Jörg ✓\"}");
        }

        @Test
        void leavesOutOptionalKeysAReceivedEnvelopeLacked() {
            Envelope received = decode("{\"event_type\":\"a\",\"payload\":{}}");

            assertThat(new String(codec.encode(received), StandardCharsets.UTF_8))
                    .isEqualTo("{\"event_type\":\"a\",\"payload\":{}}");
        }

        @Test
        void decodingWhatWasEncodedGivesTheSameEnvelope() {
            Envelope envelope = new Envelope("e-1", 1, "order.created", "orders", "", "2026-11-26T17:04:05Z",
                    "0123456789abcdef", "order", Json.createArrayBuilder().add(JsonValue.NULL).add(1.5).build());

            assertThat(codec.decode(codec.encode(envelope))).isEqualTo(envelope);
        }

        @Test
        void toJsonIsCompact() {
            assertThat(codec.toJson(Json.createObjectBuilder().add("a", 1).add("b", "c").build()))
                    .isEqualTo("{\"a\":1,\"b\":\"c\"}");
        }
    }
}
