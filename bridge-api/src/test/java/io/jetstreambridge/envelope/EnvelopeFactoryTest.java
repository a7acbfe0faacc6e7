package io.jetstreambridge.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetstreambridge.publish.OutgoingEvent;
import jakarta.json.Json;
import jakarta.json.JsonValue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Values the factory fills in when the caller leaves them out, by the wire contract's rules. */
class EnvelopeFactoryTest {

    private static final Instant NOW = Instant.parse("2026-11-26T17:04:05.987654321Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final EnvelopeFactory factory = new EnvelopeFactory("orders", CLOCK);

    private static JsonValue json(String text) {
        return Json.createReader(new java.io.StringReader(text)).readValue();
    }

    private Envelope create(String eventType, String payloadJson) {
        JsonValue payload = json(payloadJson);
        return factory.create(OutgoingEvent.of(eventType, payload), payload);
    }

    @Test
    void fixedFieldsAreSchemaVersionOneAndTheProducersAppName() {
        Envelope envelope = create("order.created", "{}");

        assertThat(envelope.schemaVersion()).isEqualTo(Envelope.SCHEMA_VERSION).isEqualTo(1);
        assertThat(envelope.producer()).isEqualTo("orders");
        assertThat(envelope.eventType()).isEqualTo("order.created");
    }

    @Nested
    class EventId {

        @Test
        void isARandomUuidVersion4InCanonicalLowerCase() {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 50; i++) {
                String id = create("order.created", "{}").eventId();
                UUID uuid = UUID.fromString(id);
                assertThat(uuid.version()).as("version of %s", id).isEqualTo(4);
                assertThat(uuid.variant()).as("variant of %s", id).isEqualTo(2);
                assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
                ids.add(id);
            }
            assertThat(ids).as("distinct event ids").hasSize(50);
        }

        @Test
        void callersEventIdWins() {
            JsonValue payload = json("{}");
            OutgoingEvent event = OutgoingEvent.builder("order.created", payload).eventId("order-42-created").build();

            assertThat(factory.create(event, payload).eventId()).isEqualTo("order-42-created");
        }
    }

    @Nested
    class TraceId {

        @Test
        void isSixteenLowercaseHexCharacters() {
            Set<String> ids = new HashSet<>();
            IntStream.range(0, 200).forEach(i -> {
                String traceId = create("order.created", "{}").traceId();
                assertThat(traceId).matches("[0-9a-f]{16}");
                ids.add(traceId);
            });
            assertThat(ids).as("distinct trace ids").hasSizeGreaterThan(190);
        }

        @Test
        void newTraceIdKeepsLeadingZeros() {
            IntStream.range(0, 500).forEach(i -> assertThat(EnvelopeFactory.newTraceId()).hasSize(16)
                    .matches("[0-9a-f]{16}"));
        }

        @Test
        void callersTraceIdWins() {
            JsonValue payload = json("{}");
            OutgoingEvent event = OutgoingEvent.builder("a.b", payload).traceId("4bf92f3577b34da6").build();

            assertThat(factory.create(event, payload).traceId()).isEqualTo("4bf92f3577b34da6");
        }
    }

    @Nested
    class OccurredAt {

        @Test
        void isTheClocksCurrentWholeSecondInUtc() {
            assertThat(create("order.created", "{}").occurredAt()).isEqualTo("2026-11-26T17:04:05Z");
        }

        @Test
        void isUtcWhateverTheClocksZone() {
            EnvelopeFactory berlin = new EnvelopeFactory("orders", Clock.fixed(NOW, ZoneId.of("Europe/Berlin")));
            JsonValue payload = json("{}");

            assertThat(berlin.create(OutgoingEvent.of("a.b", payload), payload).occurredAt())
                    .isEqualTo("2026-11-26T17:04:05Z");
        }

        @Test
        void exactSecondsHaveNoFraction() {
            EnvelopeFactory midnight = new EnvelopeFactory("orders",
                    Clock.fixed(Instant.parse("2027-01-01T00:00:00Z"), ZoneOffset.UTC));
            JsonValue payload = json("{}");

            assertThat(midnight.create(OutgoingEvent.of("a.b", payload), payload).occurredAt())
                    .isEqualTo("2027-01-01T00:00:00Z");
        }

        @Test
        void callersInstantWinsAndIsCutToWholeSeconds() {
            JsonValue payload = json("{}");
            OutgoingEvent event = OutgoingEvent.builder("a.b", payload)
                    .occurredAt(Instant.parse("2025-03-04T05:06:07.999Z")).build();

            assertThat(factory.create(event, payload).occurredAt()).isEqualTo("2025-03-04T05:06:07Z");
        }

        @Test
        void followsTheClockFromSecondToSecondAndBackWithCallersInstantsBetween() {
            java.util.Iterator<Instant> ticks = java.util.List.of(Instant.parse("2026-11-26T17:04:05.100Z"),
                    Instant.parse("2026-11-26T17:04:05.900Z"), Instant.parse("2026-11-26T17:04:06Z"),
                    Instant.parse("2026-11-26T17:04:05.500Z"), Instant.parse("1969-12-31T23:59:59.500Z")).iterator();
            Clock moving = new Clock() {
                @Override
                public ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return ticks.next();
                }
            };
            EnvelopeFactory stepping = new EnvelopeFactory("orders", moving);
            JsonValue payload = json("{}");
            OutgoingEvent now = OutgoingEvent.of("a.b", payload);
            OutgoingEvent given = OutgoingEvent.builder("a.b", payload)
                    .occurredAt(Instant.parse("2025-03-04T05:06:07.999Z")).build();

            assertThat(java.util.stream.Stream.of(now, now, given, now, now, now)
                    .map(event -> stepping.create(event, payload).occurredAt()))
                    .containsExactly("2026-11-26T17:04:05Z", "2026-11-26T17:04:05Z", "2025-03-04T05:06:07Z",
                            "2026-11-26T17:04:06Z", "2026-11-26T17:04:05Z", "1969-12-31T23:59:59Z");
        }

        @Test
        void formatMatchesTheContractsPattern() {
            assertThat(EnvelopeFactory.formatOccurredAt(Instant.parse("2026-11-26T17:04:05.5Z")))
                    .isEqualTo("2026-11-26T17:04:05Z")
                    .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
        }
    }

    @Nested
    class ResourceId {

        @ParameterizedTest(name = "payload {0} -> \"{1}\"")
        @CsvSource(delimiter = '|', emptyValue = "", value = {
                "{\"id\":42}                               | 42",
                "{\"id\":\"A-1\"}                          | A-1",
                "{\"id\":12345678901234567890}             | 12345678901234567890",
                "{\"resource_id\":7}                       | 7",
                "{\"resource_id\":\"R-9\"}                 | R-9",
                "{\"id\":1,\"resource_id\":2}              | 1",
                "{\"resource_id\":2,\"id\":1}              | 1",
                "{\"id\":null,\"resource_id\":\"R\"}       | R",
                "{\"id\":\"\"}                             | ''",
                "{\"name\":\"no id\"}                      | ''",
                "{}                                        | ''",
                "[{\"id\":1}]                              | ''",
                "\"just text\"                             | ''"})
        void isInferredFromThePayload(String payload, String expected) {
            assertThat(create("order.created", payload).resourceId()).isEqualTo(expected);
        }

        @Test
        void callersResourceIdWins() {
            JsonValue payload = json("{\"id\":42}");
            OutgoingEvent event = OutgoingEvent.builder("order.created", payload).resourceId("ORD-42").build();

            assertThat(factory.create(event, payload).resourceId()).isEqualTo("ORD-42");
        }
    }

    @Nested
    class ResourceType {

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({
                "order.created, order",
                "order.line.added, order",
                "invoice.created, invoice",
                "ping, event",
                "OrderCreated, event"})
        void isThePartOfTheEventTypeBeforeItsFirstDotElseEvent(String eventType, String expected) {
            assertThat(create(eventType, "{}").resourceType()).isEqualTo(expected);
            assertThat(EnvelopeFactory.inferResourceType(eventType)).isEqualTo(expected);
        }

        @Test
        void callersResourceTypeWins() {
            JsonValue payload = json("{}");
            OutgoingEvent event = OutgoingEvent.builder("order.created", payload).resourceType("sales_order").build();

            assertThat(factory.create(event, payload).resourceType()).isEqualTo("sales_order");
        }

        @Test
        void receivedEnvelopeWithoutResourceTypeInfersIt() {
            Envelope envelope = new Envelope(null, null, "invoice.paid", null, null, null, null, null,
                    JsonValue.EMPTY_JSON_OBJECT);

            assertThat(envelope.resourceTypeOrInferred()).isEqualTo("invoice");
        }

        @Test
        void receivedResourceTypeIsKept() {
            Envelope envelope = new Envelope(null, null, "invoice.paid", null, null, null, null, "bill",
                    JsonValue.EMPTY_JSON_OBJECT);

            assertThat(envelope.resourceTypeOrInferred()).isEqualTo("bill");
        }
    }
}
