package io.jetstreambridge.schema;

import io.jetstreambridge.core.outbox.JpaOutboxStore;
import io.jetstreambridge.core.outbox.OutboxDialect;
import io.jetstreambridge.core.outbox.OutboxEvent;
import io.jetstreambridge.core.outbox.OutboxRecord;
import io.jetstreambridge.core.inbox.InboxEvent;
import io.jetstreambridge.testing.jta.SqlScript;
import io.jetstreambridge.testing.jta.TestDatabase;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/migrating-from-the-ruby-gem.md, run as written on the local PostgreSQL: the gem's tables as its migration
 * generator creates them (beside a Rails application's own tables), filled with processed, failed, unfinished,
 * sent and unsent rows; then the page's SQL blocks, read from the page itself, and Flyway as docs/schema.md
 * configures it. The bridge then finds the gem's dedupe history and the unsent events.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RubyGemMigrationTest {

    /** The gem's generated migrations, as Rails 7 runs them on PostgreSQL (plus Rails' and the app's tables). */
    private static final String GEM_SCHEMA = """
            CREATE TABLE schema_migrations (version varchar NOT NULL PRIMARY KEY);
            CREATE TABLE purchase_orders (id bigserial PRIMARY KEY, total numeric(12, 2) NOT NULL);
            CREATE TABLE jetstream_bridge_inbox_events (
                id bigserial PRIMARY KEY,
                event_id varchar NOT NULL,
                event_type varchar NOT NULL,
                resource_type varchar,
                resource_id varchar,
                payload text NOT NULL,
                subject varchar,
                headers jsonb DEFAULT '{}',
                stream varchar,
                stream_seq bigint,
                deliveries integer,
                status varchar DEFAULT 'received' NOT NULL,
                error_message text,
                processing_attempts integer DEFAULT 0 NOT NULL,
                received_at timestamp(6) without time zone,
                processed_at timestamp(6) without time zone,
                failed_at timestamp(6) without time zone,
                created_at timestamp(6) without time zone NOT NULL,
                updated_at timestamp(6) without time zone NOT NULL
            );
            CREATE UNIQUE INDEX index_jetstream_bridge_inbox_events_on_event_id
                ON jetstream_bridge_inbox_events (event_id);
            CREATE INDEX index_jetstream_bridge_inbox_events_on_status ON jetstream_bridge_inbox_events (status);
            CREATE INDEX index_jetstream_bridge_inbox_events_on_created_at
                ON jetstream_bridge_inbox_events (created_at);
            CREATE UNIQUE INDEX index_jetstream_bridge_inbox_events_on_stream_and_stream_seq
                ON jetstream_bridge_inbox_events (stream, stream_seq)
                WHERE stream IS NOT NULL AND stream_seq IS NOT NULL;
            CREATE TABLE jetstream_bridge_outbox_events (
                id bigserial PRIMARY KEY,
                event_id varchar NOT NULL,
                subject varchar NOT NULL,
                payload jsonb DEFAULT '{}' NOT NULL,
                headers jsonb DEFAULT '{}' NOT NULL,
                status varchar DEFAULT 'pending' NOT NULL,
                attempts integer DEFAULT 0 NOT NULL,
                last_error text,
                enqueued_at timestamp(6) without time zone,
                sent_at timestamp(6) without time zone,
                created_at timestamp(6) without time zone NOT NULL,
                updated_at timestamp(6) without time zone NOT NULL
            );
            CREATE UNIQUE INDEX index_jetstream_bridge_outbox_events_on_event_id
                ON jetstream_bridge_outbox_events (event_id);
            CREATE INDEX index_jetstream_bridge_outbox_events_on_status ON jetstream_bridge_outbox_events (status);
            """;

    private static final String ENVELOPE = "{\"event_id\":\"%s\",\"schema_version\":1,\"event_type\":\"order.created\","
            + "\"producer\":\"orders\",\"resource_id\":\"%s\",\"occurred_at\":\"2026-11-20T10:00:00Z\","
            + "\"trace_id\":\"abc\",\"resource_type\":\"order\",\"payload\":{\"id\":\"%s\",\"total\":\"12.50\"}}";

    /** What the gem left behind. */
    private static final String GEM_ROWS = """
            INSERT INTO jetstream_bridge_inbox_events (event_id, event_type, resource_type, resource_id, payload,
                subject, stream, stream_seq, deliveries, status, error_message, processing_attempts, received_at,
                processed_at, failed_at, created_at, updated_at) VALUES
              ('evt-processed', 'order.created', 'order', 'ORD-1', '{}', 'billing.sync.orders', 'jetstream-bridge-stream',
               11, 1, 'processed', NULL, 1, '2026-11-20 10:00:01', '2026-11-20 10:00:02.123456', NULL,
               '2026-11-20 10:00:01', '2026-11-20 10:00:02.123456'),
              ('evt-processed-at-only', 'order.created', 'order', 'ORD-2', '{}', 'billing.sync.orders', NULL, NULL,
               NULL, 'received', NULL, 0, NULL, '2026-11-20 11:00:00', NULL, '2026-11-20 10:59:00',
               '2026-11-20 11:00:00'),
              ('evt-failed', 'order.voided', 'order', 'ORD-3', '{}', 'billing.sync.orders', 'jetstream-bridge-stream',
               13, 3, 'failed', 'RuntimeError: boom', 3, '2026-11-20 12:00:00', NULL, '2026-11-20 12:05:00',
               '2026-11-20 12:00:00', '2026-11-20 12:05:00'),
              ('evt-unfinished', 'order.created', NULL, NULL, '{}', NULL, NULL, NULL, 1, 'processing', NULL, 1,
               '2026-11-20 13:00:00', NULL, NULL, '2026-11-20 13:00:00', '2026-11-20 13:00:00');
            INSERT INTO jetstream_bridge_outbox_events (event_id, subject, payload, headers, status, attempts,
                last_error, enqueued_at, sent_at, created_at, updated_at) VALUES
              ('out-sent', 'orders.sync.billing', '%s', '{"nats-msg-id":"out-sent"}', 'sent', 1, NULL,
               '2026-11-20 09:00:00', '2026-11-20 09:00:01', '2026-11-20 09:00:00', '2026-11-20 09:00:01'),
              ('out-pending', 'orders.sync.billing', '%s', '{"nats-msg-id":"out-pending"}', 'publishing', 1, NULL,
               '2026-11-20 09:10:00', NULL, '2026-11-20 09:10:00', '2026-11-20 09:10:00'),
              ('out-failed', 'orders.sync.billing', '%s', '{"nats-msg-id":"out-failed"}', 'failed', 2,
               'NATS::IO::Timeout', NULL, NULL, '2026-11-20 09:20:00', '2026-11-20 09:20:05');
            """.formatted(envelope("out-sent", "ORD-7"), envelope("out-pending", "ORD-8"),
            envelope("out-failed", "ORD-9"));

    private TestDatabase database;
    private String aside;
    private EntityManagerFactory factory;
    private long tooLong = -1;
    private long[] compared;

    @BeforeAll
    void migrateTheGemsTablesAsThePageSays() throws Exception {
        database = TestDatabase.postgres("gem");
        aside = database.schema() + "_aside";
        database.runScript(GEM_SCHEMA);
        database.runScript(GEM_ROWS);

        tooLong = queryLongs(block("check"))[0];
        run(block("aside"));
        Flyway.configure(getClass().getClassLoader())
                .dataSource(database.jdbcUrl(), database.user(), database.password())
                .locations(ShippedScripts.Database.POSTGRESQL.location())
                .table("jetstream_bridge_schema_history").baselineOnMigrate(true).baselineVersion("0")
                .load().migrate();
        run(block("copy"));
        compared = queryLongs(block("compare"));
        factory = MappedEntities.deploy("gem-" + UUID.randomUUID(), List.of(InboxEvent.class, OutboxEvent.class),
                database.jdbcUrl(), database.user(), database.password());
    }

    @AfterAll
    void dropEverything() throws SQLException {
        try {
            if (factory != null) {
                factory.close();
            }
            if (aside != null) {
                try (Connection connection = database.openConnection();
                     Statement statement = connection.createStatement()) {
                    statement.execute("DROP SCHEMA IF EXISTS \"" + aside + "\" CASCADE");
                }
            }
        } finally {
            if (database != null) {
                database.close();
            }
        }
    }

    @Test
    void theCheckFindsNoEventIdTooLong() {
        assertThat(tooLong).isZero();
    }

    @Test
    void theComparisonOfTheStepsCountsMatch() {
        assertThat(compared).as("gem inbox, bridge inbox, gem unsent, bridge pending").containsExactly(4, 4, 2, 2);
    }

    @Test
    void eventsTheGemProcessedAreProcessedForTheBridge() {
        EntityManager em = factory.createEntityManager();
        try {
            InboxEvent processed = em.find(InboxEvent.class, "evt-processed");
            assertThat(processed.processed()).isTrue();
            assertThat(processed.processedAt()).isEqualTo(Instant.parse("2026-11-20T10:00:02.123456Z"));
            assertThat(processed.deliveries()).isEqualTo(1);
            InboxEvent byTimestamp = em.find(InboxEvent.class, "evt-processed-at-only");
            assertThat(byTimestamp.processed()).as("processed_at set: the gem's processed?").isTrue();
            assertThat(byTimestamp.processedAt()).isEqualTo(Instant.parse("2026-11-20T11:00:00Z"));
        } finally {
            em.close();
        }
    }

    @Test
    void eventsTheGemDidNotFinishRunAgainWithTheirHistory() {
        EntityManager em = factory.createEntityManager();
        try {
            InboxEvent failed = em.find(InboxEvent.class, "evt-failed");
            assertThat(failed.processed()).isFalse();
            assertThat(failed.status()).isEqualTo(InboxEvent.FAILED);
            assertThat(failed.attempts()).isEqualTo(3);
            assertThat(failed.lastError()).isEqualTo("RuntimeError: boom");
            assertThat(failed.failedAt()).isEqualTo(Instant.parse("2026-11-20T12:05:00Z"));
            InboxEvent unfinished = em.find(InboxEvent.class, "evt-unfinished");
            assertThat(unfinished.processed()).as("status processing: the gem had not finished it").isFalse();
            assertThat(unfinished.processedAt()).isNull();
        } finally {
            em.close();
        }
    }

    @Test
    void theRelayClaimsTheEventsTheGemDidNotSend() throws SQLException {
        OutboxDialect dialect;
        try (Connection connection = database.openConnection()) {
            dialect = OutboxDialect.detect(connection);
        }
        JpaOutboxStore store = new JpaOutboxStore(dialect);
        Instant now = Instant.now().plusSeconds(1);
        EntityManager em = factory.createEntityManager();
        List<OutboxRecord> claimed;
        try {
            assertThat(store.backlog(em).pending()).isEqualTo(2);
            em.getTransaction().begin();
            claimed = store.claimDue(em, 10, "relay-1", now, now, Duration.ofSeconds(30), false);
            em.getTransaction().commit();
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
        assertThat(claimed).extracting(OutboxRecord::eventId).containsExactly("out-pending", "out-failed");
        OutboxRecord first = claimed.get(0);
        assertThat(first.subject()).isEqualTo("orders.sync.billing");
        assertThat(first.resourceType()).isEqualTo("order");
        assertThat(first.resourceId()).isEqualTo("ORD-8");
        assertThat(first.attempts()).isZero();
        assertThat(first.headers()).as("the relay sets Nats-Msg-Id itself").isEmpty();
        assertThat(json(first.body())).as("the envelope the gem stored")
                .isEqualTo(json(envelope("out-pending", "ORD-8")));
    }

    @Test
    void theMovedRowsKeepTheirTypes() throws SQLException {
        try (Connection connection = database.openConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT event_type, created_at, last_error FROM "
                     + "jetstream_bridge_outbox_events WHERE event_id = 'out-failed'")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualTo("order.created");
            assertThat(row.getTimestamp(2).toLocalDateTime()).as("enqueued_at unset: created_at")
                    .isEqualTo("2026-11-20T09:20:00");
            assertThat(row.getString(3)).isEqualTo("NATS::IO::Timeout");
        }
    }

    private static String envelope(String eventId, String resourceId) {
        return ENVELOPE.formatted(eventId, resourceId, resourceId);
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    /** The page's SQL block marked {@code gem-migration:<name>}, with the aside schema made unique to this run. */
    private String block(String name) {
        return DocsPage.block("migrating-from-the-ruby-gem.md", "gem-migration:" + name, "sql")
                .replace("jetstream_bridge_gem.", "\"" + aside + "\".")
                .replace("SCHEMA jetstream_bridge_gem", "SCHEMA \"" + aside + "\"");
    }

    private void run(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(),
                database.password()); Statement statement = connection.createStatement()) {
            for (String one : SqlScript.split(sql)) {
                statement.execute(one);
            }
        }
    }

    private long[] queryLongs(String sql) throws SQLException {
        try (Connection connection = database.openConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(SqlScript.split(sql).get(0))) {
            assertThat(row.next()).isTrue();
            long[] values = new long[row.getMetaData().getColumnCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = row.getLong(i + 1);
            }
            return values;
        }
    }
}
