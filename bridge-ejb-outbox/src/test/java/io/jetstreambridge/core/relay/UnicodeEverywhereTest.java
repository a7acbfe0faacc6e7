package io.jetstreambridge.core.relay;

import static io.jetstreambridge.core.relay.RelaySetup.STREAM;
import static io.jetstreambridge.core.relay.RelaySetup.TABLE;
import static io.jetstreambridge.core.relay.RelaySetup.orders;
import static io.jetstreambridge.core.relay.RelaySetup.outboxDatabase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.envelope.Envelope;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.envelope.EnvelopeFactory;
import io.jetstreambridge.core.outbox.JpaOutboxStore;
import io.jetstreambridge.core.outbox.OutboxDialect;
import io.jetstreambridge.core.outbox.OutboxPublisher;
import io.jetstreambridge.core.outbox.OutboxStore;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.publish.Publisher;
import io.jetstreambridge.core.publish.JetStreamPublisher;
import io.jetstreambridge.core.publish.PayloadMapper;
import io.jetstreambridge.core.telemetry.BridgeTelemetry;
import io.jetstreambridge.core.transaction.Transactions;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.ProvisionedConnection;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.spi.JsonProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Random Unicode (astral planes, right-to-left text and overrides, combining marks, NUL and other controls, lone
 * surrogates, blanks at either end) in every string an event takes: event type, resource type and id, event id,
 * header names and values, payload keys and strings. Each event is published directly and through the outbox,
 * against a real nats-server and PostgreSQL. Each either arrives exactly as given (body decoded, headers compared)
 * or is refused at {@code publish} with an {@link IllegalArgumentException} by both paths alike, leaving no outbox
 * row; no relay round fails and no row is left pending or failed. The seed is printed; {@code -Djsb.unicode.seed}
 * replays another.
 */
class UnicodeEverywhereTest {

    private static final long DEFAULT_SEED = 20261206L;
    private static final int EVENTS = 300;

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private static JpaHarness jpa;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final OutboxStore store = new JpaOutboxStore(OutboxDialect.POSTGRESQL);
    private final Transactions transactions = jpa::inTransaction;
    private Connection connection;
    private JetStreamManagement jsm;

    @BeforeAll
    static void database() {
        jpa = outboxDatabase("unicode");
    }

    @AfterAll
    static void closeDatabase() {
        jpa.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        jpa.database().execute("DELETE FROM " + TABLE);
    }

    @AfterEach
    void tearDown() throws Exception {
        executor.shutdownNow();
        if (connection != null) {
            connection.close();
        }
    }

    /** The last id the outbox table's identity handed out (0 before the first). */
    private static long idsDrawn() {
        return jpa.database().queryForLong("SELECT COALESCE(pg_sequence_last_value(pg_get_serial_sequence('" + TABLE
                + "', 'id')), 0)");
    }

    @Test
    void everyEventArrivesIntactOrIsRefusedAtPublishByBothPathsAlike() throws Exception {
        long seed = Long.getLong("jsb.unicode.seed", DEFAULT_SEED);
        System.out.println("UnicodeEverywhereTest seed " + seed + " (replay with -Djsb.unicode.seed=" + seed + ")");
        Random random = new Random(seed);
        BridgeConfig config = orders(NATS).build();
        connection = ProvisionedConnection.open(config);
        jsm = connection.jetStreamManagement();
        JsonProvider json = JsonProvider.provider();
        EnvelopeCodec codec = new EnvelopeCodec(json);
        EnvelopeFactory envelopes = new EnvelopeFactory("orders", Clock.systemUTC());
        PayloadMapper payloads = new PayloadMapper(JsonbBuilder.create(), json);
        AtomicInteger failedRounds = new AtomicInteger();
        OutboxRelay relay = new OutboxRelay(store, transactions, connection.jetStream(), STREAM, config.outbox(),
                Duration.ofSeconds(5), 1024, Clock.systemUTC(), "relay-unicode", RelayListener.NONE,
                BridgeTelemetry.NONE);
        Publisher direct = new JetStreamPublisher(connection, config.topology(), config.publish(), envelopes, codec,
                payloads, executor);
        Publisher outbox = new OutboxPublisher(jpa.transactionSynchronizationRegistry(), transactions,
                jpa::entityManager, store, config.topology(), envelopes, codec, payloads,
                ids -> executor.execute(() -> {
                    try {
                        relay.relayCommitted(ids);
                    } catch (RuntimeException e) {
                        failedRounds.incrementAndGet();
                    }
                }), () -> connection.getServerInfo().getMaxPayload(), Clock.systemUTC(), BridgeTelemetry.NONE);

        Map<String, Sent> expected = new HashMap<>();
        Map<String, Integer> refusals = new HashMap<>();
        for (int i = 0; i < EVENTS; i++) {
            Draft draft = Draft.random(random, i);
            String directOutcome = publish(direct, draft.event("d"), expected, false);
            long idsBefore = idsDrawn();
            String outboxOutcome = publish(outbox, draft.event("o"), expected, true);
            assertThat(outboxOutcome.replace("o" + i + "-", "d" + i + "-"))
                    .as("event %d (%s): the outbox decides as direct publishing does", i, draft)
                    .isEqualTo(directOutcome);
            if (!outboxOutcome.equals("published")) {
                // by the row ids drawn: the relay deletes sent rows meanwhile, so the table's count says nothing
                assertThat(idsDrawn()).as("a refused event leaves no row, not even one rolled back")
                        .isEqualTo(idsBefore);
                refusals.merge(outboxOutcome.replaceAll("[^a-zA-Z ].*", ""), 1, Integer::sum);
            }
        }
        System.out.println("UnicodeEverywhereTest: " + expected.size() / 2 + " of " + EVENTS
                + " events published by both paths, refusals by kind: " + refusals);
        assertThat(expected.size() / 2).as("enough events went through to mean something").isGreaterThan(EVENTS / 4);
        assertThat(refusals.values().stream().mapToInt(Integer::intValue).sum()).as("and some were refused")
                .isGreaterThan(EVENTS / 10);

        await().atMost(Duration.ofMinutes(1)).until(() -> {
            relay.sweep(); // a round that throws fails the test here
            return jpa.database().countRows(TABLE) == 0; // every row sent and deleted (outbox.sent-rows default)
        });
        assertThat(failedRounds).as("fast-path rounds that failed").hasValue(0);

        long messages = jsm.getStreamInfo(STREAM).getStreamState().getMsgCount();
        assertThat(messages).isEqualTo(expected.size());
        for (long seq = 1; seq <= messages; seq++) {
            MessageInfo stored = jsm.getMessage(STREAM, seq);
            String eventId = stored.getHeaders().getFirst("Nats-Msg-Id");
            Sent sent = expected.remove(eventId);
            assertThat(sent).as("message %d (event %s) was published once", seq, eventId).isNotNull();
            Envelope envelope = codec.decode(stored.getData());
            OutgoingEvent given = sent.event;
            assertThat(envelope.eventId()).isEqualTo(eventId);
            assertThat(envelope.eventType()).isEqualTo(given.eventType());
            assertThat(envelope.resourceType()).isEqualTo(given.resourceType() != null ? given.resourceType()
                    : EnvelopeFactory.inferResourceType(given.eventType()));
            assertThat(envelope.resourceId()).isEqualTo(given.resourceId() != null ? given.resourceId()
                    : EnvelopeFactory.inferResourceId((JsonObject) given.payload()));
            assertThat(envelope.payload()).isEqualTo(given.payload());
            given.headers().forEach((name, value) -> assertThat(stored.getHeaders().get(name))
                    .as("header %s of event %s", name, eventId).containsExactly(value));
        }
        assertThat(expected).as("published but not in the stream").isEmpty();
    }

    /** @return "published", or the refusal's message */
    private String publish(Publisher publisher, Function0 event, Map<String, Sent> expected, boolean transactional)
            throws Exception {
        OutgoingEvent built;
        try {
            built = event.get();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (transactional) {
            jpa.userTransaction().begin();
        }
        try {
            PublishResult result = publisher.publish(built);
            if (transactional) {
                jpa.userTransaction().commit();
            }
            expected.put(result.eventId(), new Sent(built));
            return "published";
        } catch (IllegalArgumentException e) {
            if (transactional) {
                jpa.userTransaction().rollback();
            }
            return e.getMessage();
        }
    }

    private interface Function0 {
        OutgoingEvent get();
    }

    private record Sent(OutgoingEvent event) {
    }

    /** One random event, built twice (direct and outbox) with distinct event ids. */
    private record Draft(int n, String eventType, String resourceType, String resourceId, String eventId,
                        Map<String, String> headers, JsonObject payload) {

        static Draft random(Random random, int n) {
            Map<String, String> headers = new LinkedHashMap<>();
            for (int h = random.nextInt(4); h > 0; h--) {
                headers.put(random.nextInt(10) == 0 ? text(random, 1, 8) : "X-" + ascii(random, 1, 8, false),
                        random.nextInt(6) == 0 ? text(random, 1, 12) : ascii(random, 1, 20, true));
            }
            JsonObjectBuilder payload = Json.createObjectBuilder();
            if (random.nextBoolean()) {
                payload.add("id", text(random, 1, 10));
            }
            for (int k = random.nextInt(4); k > 0; k--) {
                payload.add(text(random, 0, 6), text(random, 0, 20));
            }
            JsonArrayBuilder lines = Json.createArrayBuilder();
            for (int k = random.nextInt(3); k > 0; k--) {
                lines.add(Json.createObjectBuilder().add("name", text(random, 0, 15)));
            }
            payload.add("lines", lines);
            return new Draft(n, text(random, 1, 16) + "." + text(random, 1, 8),
                    random.nextBoolean() ? text(random, 1, 10) : null,
                    random.nextBoolean() ? text(random, 1, 10) : null,
                    random.nextInt(8) == 0 ? text(random, 1, 10) : random.nextInt(4) == 0
                            ? ascii(random, 1, 12, true) : null, headers, payload.build());
        }

        /** @param prefix makes the direct and the outbox copy two events (JetStream would drop the second) */
        Function0 event(String prefix) {
            return () -> {
                OutgoingEvent.Builder builder = OutgoingEvent.builder(eventType, payload).resourceType(resourceType)
                        .resourceId(resourceId).eventId(eventId == null ? null : prefix + n + "-" + eventId);
                headers.forEach(builder::header);
                return builder.build();
            };
        }

        private static final String[] PIECES = {
            "\uD83D\uDE00", "\uD83D\uDCE6", "\uD834\uDD1E", "\uDBFF\uDFFF", // astral planes, U+10FFFF
            "\u05E9\u05DC\u05D5\u05DD", "\u0645\u0631\u062D\u0628\u0627", "\u202E", "\u200F", // RTL and overrides
            "e\u0301", "\u0301", "\u0903", "\u20DD", // combining marks, one with nothing to combine with
            "\u0001", "\t", "\n", "\r", "\u007F", "\u0085", // controls
            " ", "\u00A0", "\u3000", "\uFEFF", "\uFFFF", "\"", "\\", ":", "{}", // blanks and JSON/header syntax
            "\u00FC", "\u4E2D\u6587", "\u00DF", "\u0130", // Latin-1 and CJK
        };

        /** What no string may hold (refused everywhere or in identifiers): one string in 25 gets one. */
        private static final String[] FATAL = {
            "\u0000", // NUL: fine in payload strings, refused in identifiers (PostgreSQL cannot store it)
            "\uD800", "\uDFFF", "\uDC00\uD800", // lone surrogates, and a pair in the wrong order
        };

        /** Mostly ASCII letters with pieces of trouble in between. */
        static String text(Random random, int min, int max) {
            StringBuilder text = new StringBuilder();
            int length = min + random.nextInt(max - min + 1);
            while (text.codePointCount(0, text.length()) < length) {
                if (random.nextInt(3) == 0) {
                    text.append(PIECES[random.nextInt(PIECES.length)]);
                } else {
                    text.append((char) ('a' + random.nextInt(26)));
                }
            }
            if (random.nextInt(25) == 0) {
                text.insert(random.nextInt(text.length() + 1), FATAL[random.nextInt(FATAL.length)]);
            }
            return text.toString();
        }

        /** Printable ASCII; with {@code spaces} also inner blanks. */
        static String ascii(Random random, int min, int max, boolean spaces) {
            StringBuilder text = new StringBuilder();
            int length = min + random.nextInt(max - min + 1);
            for (int i = 0; i < length; i++) {
                char c = (char) (0x21 + random.nextInt(0x7E - 0x21 + 1));
                text.append(spaces && i > 0 && i < length - 1 && random.nextInt(6) == 0 ? ' ' : c == ':' ? '-' : c);
            }
            return text.toString();
        }
    }
}
