package io.jetstreambridge.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.topology.Topology;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The golden messages of {@code shared/contract}: what a Rails app on {@code jetstream_bridge} 7.x sends, and the
 * poison messages a consumer must dead-letter. Each body is parsed; the good ones are also rebuilt from the same
 * inputs and must come out byte for byte the same.
 */
class GoldenContractTest {

    private static final String STREAM = "jetstream-bridge-stream";
    /** A clock far from every golden timestamp, so a test passes only if the given occurred_at is used. */
    private static final Clock UNRELATED_CLOCK = Clock.fixed(Instant.parse("2001-02-03T04:05:06Z"), ZoneOffset.UTC);

    private final EnvelopeCodec codec = new EnvelopeCodec();

    /** A golden message added to shared/contract (and copied here) needs tests in this class. */
    @Test
    void everyGoldenMessageIsCovered() throws Exception {
        Path dir = Path.of(GoldenContractTest.class.getResource("/contract").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .as("golden messages in %s; write tests for any new one", dir)
                    .containsExactlyInAnyOrder("minimal-accepted.json", "poison-malformed.json",
                            "poison-no-event-type.json", "ruby-no-dot-event-type.json", "ruby-order-created.json");
        }
    }

    @Nested
    @DisplayName("ruby-order-created.json: order.created from app 'orders' to 'billing'")
    class RubyOrderCreated {

        private final GoldenMessage golden = GoldenMessage.load("ruby-order-created.json");

        /** The Ruby hash given to publish(event_type: 'order.created', payload: {...}). */
        private final JsonObject payload = Json.createObjectBuilder()
                .add("id", 42)
                .add("customer", "ACME")
                .add("total", "19.99")
                .add("lines", Json.createArrayBuilder()
                        .add(Json.createObjectBuilder().add("sku", "A-1").add("qty", 2)))
                .build();

        @Test
        void decodesEveryField() {
            Envelope envelope = codec.decode(golden.body());

            assertThat(envelope.eventId()).isEqualTo("3f1c2a9e-8d4b-4c1e-9a7f-2b6d5e8c0a11");
            assertThat(envelope.schemaVersion()).isEqualTo(1);
            assertThat(envelope.eventType()).isEqualTo("order.created");
            assertThat(envelope.producer()).isEqualTo("orders");
            assertThat(envelope.resourceId()).isEqualTo("42");
            assertThat(envelope.occurredAt()).isEqualTo("2026-11-26T17:04:05Z");
            assertThat(envelope.occurredAtInstant()).contains(Instant.parse("2026-11-26T17:04:05Z"));
            assertThat(envelope.traceId()).isEqualTo("9f86d081884c7d65");
            assertThat(envelope.resourceType()).isEqualTo("order");
            assertThat(envelope.resourceTypeOrInferred()).isEqualTo("order");
            assertThat(envelope.payload()).isEqualTo(payload);
        }

        @Test
        void rebuildingFromTheSameInputsGivesTheSameBytes() {
            OutgoingEvent event = OutgoingEvent.builder("order.created", payload)
                    .eventId("3f1c2a9e-8d4b-4c1e-9a7f-2b6d5e8c0a11")
                    .occurredAt(Instant.parse("2026-11-26T17:04:05Z"))
                    .traceId("9f86d081884c7d65")
                    .build();

            Envelope built = new EnvelopeFactory("orders", UNRELATED_CLOCK).create(event, payload);

            assertSameBytes(codec.encode(built), golden);
        }

        @Test
        void reEncodingTheDecodedEnvelopeGivesTheSameBytes() {
            assertSameBytes(codec.encode(codec.decode(golden.body())), golden);
        }

        @Test
        void subjectIsThePublishSubjectOfOrdersToBilling() {
            assertThat(golden.subject())
                    .isEqualTo(Topology.of(STREAM, "orders", "billing").publishSubject())
                    .isEqualTo(Topology.of(STREAM, "billing", "orders").consumeSubject());
        }

        @Test
        void eventIdIsReadFromTheLowerCaseRubyHeader() {
            assertThat(golden.headers()).containsKey("nats-msg-id");
            assertThat(WireHeaders.eventId(golden.headers(), null, 1))
                    .isEqualTo("3f1c2a9e-8d4b-4c1e-9a7f-2b6d5e8c0a11");
        }
    }

    @Nested
    @DisplayName("ruby-no-dot-event-type.json: 'ping' without resource id")
    class RubyNoDotEventType {

        private final GoldenMessage golden = GoldenMessage.load("ruby-no-dot-event-type.json");

        private final JsonObject payload = Json.createObjectBuilder().add("note", "no id here").build();

        @Test
        void decodesEveryField() {
            Envelope envelope = codec.decode(golden.body());

            assertThat(envelope.eventId()).isEqualTo("0b7e6c1d-2f3a-4b5c-8d9e-0f1a2b3c4d5e");
            assertThat(envelope.schemaVersion()).isEqualTo(1);
            assertThat(envelope.eventType()).isEqualTo("ping");
            assertThat(envelope.producer()).isEqualTo("billing");
            assertThat(envelope.resourceId()).isEmpty();
            assertThat(envelope.occurredAt()).isEqualTo("2026-11-26T17:05:00Z");
            assertThat(envelope.traceId()).isEqualTo("00ff00ff00ff00ff");
            assertThat(envelope.resourceType()).isEqualTo("event");
            assertThat(envelope.payload()).isEqualTo(payload);
        }

        @Test
        void rebuildingFromTheSameInputsGivesTheSameBytes() {
            OutgoingEvent event = OutgoingEvent.builder("ping", payload)
                    .eventId("0b7e6c1d-2f3a-4b5c-8d9e-0f1a2b3c4d5e")
                    .occurredAt(Instant.parse("2026-11-26T17:05:00Z"))
                    .traceId("00ff00ff00ff00ff")
                    .build();

            Envelope built = new EnvelopeFactory("billing", UNRELATED_CLOCK).create(event, payload);

            assertThat(built.resourceType()).as("inferred resource_type").isEqualTo("event");
            assertThat(built.resourceId()).as("inferred resource_id").isEmpty();
            assertSameBytes(codec.encode(built), golden);
        }

        @Test
        void rebuildingWithOccurredAtFromTheClockGivesTheSameBytes() {
            OutgoingEvent event = OutgoingEvent.builder("ping", payload)
                    .eventId("0b7e6c1d-2f3a-4b5c-8d9e-0f1a2b3c4d5e")
                    .traceId("00ff00ff00ff00ff")
                    .build();
            Clock clock = Clock.fixed(Instant.parse("2026-11-26T17:05:00.999Z"), ZoneOffset.UTC);

            assertSameBytes(codec.encode(new EnvelopeFactory("billing", clock).create(event, payload)), golden);
        }

        @Test
        void subjectIsThePublishSubjectOfBillingToOrders() {
            assertThat(golden.subject()).isEqualTo(Topology.of(STREAM, "billing", "orders").publishSubject());
        }
    }

    @Nested
    @DisplayName("minimal-accepted.json: only event_type and payload")
    class MinimalAccepted {

        private final GoldenMessage golden = GoldenMessage.load("minimal-accepted.json");

        @Test
        void isAcceptedWithTheOptionalKeysAbsent() {
            Envelope envelope = codec.decode(golden.body());

            assertThat(envelope.eventType()).isEqualTo("invoice.created");
            assertThat(envelope.payload())
                    .isEqualTo(Json.createObjectBuilder().add("id", "INV-7").add("order_id", 42).build());
            assertThat(envelope.eventId()).isNull();
            assertThat(envelope.schemaVersion()).isNull();
            assertThat(envelope.producer()).isNull();
            assertThat(envelope.resourceId()).isNull();
            assertThat(envelope.occurredAt()).isNull();
            assertThat(envelope.occurredAtInstant()).isEmpty();
            assertThat(envelope.traceId()).isNull();
            assertThat(envelope.resourceType()).isNull();
        }

        @Test
        void resourceTypeIsInferredFromTheEventType() {
            assertThat(codec.decode(golden.body()).resourceTypeOrInferred()).isEqualTo("invoice");
        }

        @Test
        void eventIdComesFromTheNatsMsgIdHeader() {
            Envelope envelope = codec.decode(golden.body());

            assertThat(golden.headers()).containsKey("Nats-Msg-Id");
            assertThat(WireHeaders.eventId(golden.headers(), envelope.eventId(), 17))
                    .isEqualTo("7c9e6679-7425-40de-944b-e07fc1f90ae7");
        }

        @Test
        void subjectIsWhatAnOrdersAppConsumesFromBilling() {
            assertThat(golden.subject()).isEqualTo(Topology.of(STREAM, "orders", "billing").consumeSubject());
        }
    }

    @Nested
    @DisplayName("poison messages: a consumer must dead-letter them, never crash")
    class Poison {

        @ParameterizedTest
        @ValueSource(strings = {"poison-malformed.json", "poison-no-event-type.json"})
        void goldenPoisonIsMalformed(String name) {
            GoldenMessage golden = GoldenMessage.load(name);

            assertThatThrownBy(() -> codec.decode(golden.body()))
                    .isInstanceOf(MalformedEnvelopeException.class);
        }

        @Test
        void truncatedJsonSaysItIsNotJson() {
            GoldenMessage golden = GoldenMessage.load("poison-malformed.json");

            assertThatThrownBy(() -> codec.decode(golden.body()))
                    .isInstanceOf(MalformedEnvelopeException.class)
                    .hasMessageContaining("not valid JSON");
        }

        @Test
        void missingEventTypeSaysSo() {
            GoldenMessage golden = GoldenMessage.load("poison-no-event-type.json");

            assertThatThrownBy(() -> codec.decode(golden.body()))
                    .isInstanceOf(MalformedEnvelopeException.class)
                    .hasMessageContaining("event_type");
        }

        @Test
        void eventIdOfAPoisonMessageStillComesFromItsHeader() {
            GoldenMessage golden = GoldenMessage.load("poison-malformed.json");

            assertThat(WireHeaders.eventId(golden.headers(), null, 9)).isEqualTo("poison-1");
        }
    }

    private static void assertSameBytes(byte[] actual, GoldenMessage golden) {
        assertThat(new String(actual, StandardCharsets.UTF_8))
                .as("encoded body of %s", golden.name())
                .isEqualTo(golden.bodyText());
        assertThat(actual).as("encoded bytes of %s", golden.name()).isEqualTo(golden.body());
    }
}
