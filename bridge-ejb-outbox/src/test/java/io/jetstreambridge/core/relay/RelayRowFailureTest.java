package io.jetstreambridge.core.relay;

import static io.jetstreambridge.core.relay.RelaySetup.STREAM;
import static io.jetstreambridge.core.relay.RelaySetup.TABLE;
import static io.jetstreambridge.core.relay.RelaySetup.orders;
import static io.jetstreambridge.core.relay.RelaySetup.outboxDatabase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.core.outbox.JpaOutboxStore;
import io.jetstreambridge.core.outbox.NewOutboxEvent;
import io.jetstreambridge.core.outbox.OutboxDialect;
import io.jetstreambridge.core.outbox.OutboxRecord;
import io.jetstreambridge.core.outbox.OutboxStore;
import io.jetstreambridge.core.telemetry.BridgeTelemetry;
import io.jetstreambridge.core.transaction.Transactions;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.ProvisionedConnection;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * A row the relay can never send (stored before {@code OutgoingEvent} refused such events, or written by hand) is
 * that row's failure only: the rows around it in the same round are published and deleted.
 */
class RelayRowFailureTest {

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private static JpaHarness jpa;
    private final OutboxStore store = new JpaOutboxStore(OutboxDialect.POSTGRESQL);
    private final Transactions transactions = jpa::inTransaction;
    private Connection connection;
    private JetStreamManagement jsm;
    private BridgeConfig config;

    @BeforeAll
    static void database() {
        jpa = outboxDatabase("rowfailure");
    }

    @AfterAll
    static void closeDatabase() {
        jpa.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        jpa.database().execute("DELETE FROM " + TABLE);
        config = orders(NATS)
                .set(ConfigKey.OUTBOX_RETRY_BACKOFF, "500ms")
                .set(ConfigKey.OUTBOX_MAX_ATTEMPTS, "2")
                .build();
        connection = ProvisionedConnection.open(config);
        jsm = connection.jetStreamManagement();
    }

    @AfterEach
    void tearDown() throws Exception {
        connection.close();
    }

    private OutboxRelay relay(boolean rowLocks) throws Exception {
        return new OutboxRelay(store, transactions, connection.jetStream(), STREAM, config.outbox(),
                Duration.ofSeconds(2), 1024, Clock.systemUTC(), "relay-1", RelayListener.NONE, BridgeTelemetry.NONE,
                null, rowLocks);
    }

    /** A row as an older version wrote it: the header value {@code Zürich} went into the table unchecked. */
    private long insert(String eventId, String headersJson) {
        Timestamp now = Timestamp.valueOf(LocalDateTime.now(ZoneOffset.UTC));
        String body = body(eventId);
        jpa.database().execute("INSERT INTO " + TABLE + " (event_id, event_type, resource_type, resource_id, subject,"
                        + " payload, headers, status, attempts, created_at, next_attempt_at)"
                        + " VALUES (?, 'order.created', 'order', '1', 'orders.sync.billing', ?, ?, 'pending', 0, ?, ?)",
                eventId, body, headersJson, now, now);
        return jpa.database().queryForLong("SELECT id FROM " + TABLE + " WHERE event_id = ?", eventId);
    }

    private static String body(String eventId) {
        return "{\"event_id\":\"" + eventId + "\",\"schema_version\":1,\"event_type\":\"order.created\","
                + "\"producer\":\"orders\",\"resource_id\":\"1\",\"occurred_at\":\"2026-11-26T17:04:05Z\","
                + "\"trace_id\":\"00ff00ff00ff00ff\",\"resource_type\":\"order\",\"payload\":{\"id\":1}}";
    }

    private static OutboxRecord written(long id, String eventId, Map<String, String> headers) {
        return OutboxRecord.written(id, new NewOutboxEvent(eventId, "order.created", "order", "1",
                "orders.sync.billing", body(eventId), headers));
    }

    /** Rows left in the table: a row JetStream acknowledged is deleted (the default outbox.sent-rows). */
    private long rowsLeft() {
        return jpa.database().countRows(TABLE);
    }

    private long count(String status) {
        return jpa.database().queryForLong("SELECT COUNT(*) FROM " + TABLE + " WHERE status = ?", status);
    }

    private long streamCount() throws Exception {
        return jsm.getStreamInfo(STREAM).getStreamState().getMsgCount();
    }

    private List<Long> threeRowsTheMiddleOneUnsendable() {
        return List.of(insert("before", null), insert("unsendable", "{\"X-City\":\"Z\u00fcrich\"}"),
                insert("after", "{\"X-City\":\"Zurich\"}"));
    }

    @Test
    void aSweepSendsTheRowsAroundARowWithANonAsciiHeaderAndFailsOnlyThatRow() throws Exception {
        threeRowsTheMiddleOneUnsendable();
        OutboxRelay relay = relay(true);
        try (LogCapture log = new LogCapture()) {
            assertThat(relay.sweep()).isEqualTo(2);
            assertThat(log.lines()).anySatisfy(line -> assertThat(line).startsWith("WARNING JSB5012: 1 of 3")
                    .contains("event unsendable").contains("X-City"));

            assertThat(rowsLeft()).as("the two sent rows are deleted, the unsendable one stays").isEqualTo(1);
            assertThat(streamCount()).isEqualTo(2);
            assertThat(jpa.database().queryForLong("SELECT attempts FROM " + TABLE
                    + " WHERE event_id = 'unsendable'")).isEqualTo(1);
            assertThat(jpa.database().queryForLong("SELECT COUNT(*) FROM " + TABLE + " WHERE event_id = 'unsendable'"
                    + " AND last_error LIKE '%X-City%' AND last_error LIKE '%0xfc%'"))
                    .as("last_error names header and char").isEqualTo(1);

            // its next attempt fails the same way and uses up outbox.relay.max-attempts (2): failed, not stuck
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                relay.sweep();
                return count("failed") == 1;
            });
            assertThat(rowsLeft()).as("a failed row is never deleted automatically").isEqualTo(1);
            assertThat(count("pending")).isZero();
            assertThat(streamCount()).isEqualTo(2);
            assertThat(log.lines()).anySatisfy(line -> assertThat(line).startsWith("SEVERE JSB5013")
                    .contains("(event unsendable) is now 'failed' after 2"));
        }
    }

    @Test
    void theFastPathWithLeasesSendsTheRowsAroundAnUnsendableRow() throws Exception {
        List<Long> ids = threeRowsTheMiddleOneUnsendable();
        // what the fast path holds for them: the rows as written
        List<OutboxRecord> rows = List.of(written(ids.get(0), "before", Map.of()),
                written(ids.get(1), "unsendable", Map.of("X-City", "Z\u00fcrich")),
                written(ids.get(2), "after", Map.of("X-City", "Zurich")));

        assertThat(relay(false).relayCommitted(rows)).isEqualTo(2);

        assertThat(rowsLeft()).isEqualTo(1);
        assertThat(count("pending")).isEqualTo(1);
        assertThat(streamCount()).isEqualTo(2);
        assertThat(jpa.database().queryForLong("SELECT COUNT(*) FROM " + TABLE
                + " WHERE claimed_by IS NOT NULL")).as("no lease left behind").isZero();
    }
}
