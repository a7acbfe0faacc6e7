package io.jetstreambridge.core.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.fail;

import io.jetstreambridge.core.inbox.SchemaConformance.DatabaseTable;
import io.jetstreambridge.core.inbox.SchemaConformance.MappedTable;
import io.jetstreambridge.testing.jta.SqlScript;
import io.jetstreambridge.testing.jta.TestDatabase;
import io.jetstreambridge.testing.jta.TestPersistenceUnit;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import org.eclipse.persistence.config.PersistenceUnitProperties;
import org.eclipse.persistence.jpa.PersistenceProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The shipped inbox DDL ({@code db/jetstream-bridge/<vendor>/V1__jetstream_bridge_inbox.sql}) against the
 * {@link InboxEvent} entity, on a real database: the script runs on an empty schema and creates exactly the table the
 * entity's annotations map (columns, nullability, primary key, types that hold the values), and EclipseLink, with
 * no DDL generation of its own, writes and reads inbox rows in it. Written once, run by one subclass per database;
 * the expected table comes from the entity by reflection, so changing the entity without the scripts (or a script
 * without the entity) fails here, naming what differs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractInboxSchemaTest {

    private static final MappedTable MAPPED = SchemaConformance.mapped(InboxEvent.class);
    private static final String TABLE = MAPPED.name();

    /** Microseconds on purpose: every script's timestamp type must keep them. */
    private static final Instant RECEIVED = Instant.parse("2026-11-26T17:04:05.123456Z");
    private static final Instant PROCESSED = Instant.parse("2026-11-26T17:04:06.654321Z");

    /**
     * An empty schema of one database, reached over plain auto-commit JDBC; {@link #close()} drops it.
     * {@code catalog} and {@code schema} are for {@code DatabaseMetaData}: the catalog that holds the schema's
     * tables and the schema that holds them, each or null.
     */
    record EmptySchema(String jdbcUrl, String user, String password, String catalog, String schema, Runnable drop,
                       String description) implements AutoCloseable {

        Connection openConnection() throws SQLException {
            return DriverManager.getConnection(jdbcUrl, user, password);
        }

        @Override
        public void close() {
            drop.run();
        }

        @Override
        public String toString() {
            return description;
        }
    }

    /** A {@link TestDatabase} (PostgreSQL schema, in-memory H2 or Derby) as an {@link EmptySchema}. */
    static EmptySchema of(TestDatabase database) {
        return new EmptySchema(database.jdbcUrl(), database.user(), database.password(), null, database.schema(),
                database::close, database.toString());
    }

    private final String vendor;
    private final String script;
    private EmptySchema schema;
    private DatabaseTable table;
    private EntityManagerFactory factory;

    /** {@code vendor}: the script's folder under {@code db/jetstream-bridge/}. */
    AbstractInboxSchemaTest(String vendor) {
        this.vendor = vendor;
        this.script = "db/jetstream-bridge/" + vendor + "/V1__jetstream_bridge_inbox.sql";
    }

    /** A new, empty schema of the database under test. */
    abstract EmptySchema openEmptySchema();

    @BeforeAll
    void applyTheShippedScript() throws SQLException {
        schema = openEmptySchema();
        try (Connection connection = schema.openConnection()) {
            assertThat(SchemaConformance.tables(connection, schema.catalog(), schema.schema()))
                    .as("tables of the new schema %s before the script", schema).isEmpty();
            try (Statement statement = connection.createStatement()) {
                for (String sql : SqlScript.split(SqlScript.readResource(script))) {
                    try {
                        statement.execute(sql);
                    } catch (SQLException e) {
                        throw new AssertionError("the shipped " + script + " fails on " + schema + " at: " + sql
                                + "\n  " + e, e);
                    }
                }
            }
            table = SchemaConformance.read(connection, schema.catalog(), schema.schema(), TABLE);
        }
    }

    @AfterAll
    void dropTheSchema() {
        try {
            if (factory != null) {
                factory.close();
            }
        } finally {
            if (schema != null) {
                schema.close();
            }
        }
    }

    @BeforeEach
    void emptyTheTable() {
        jdbc(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("DELETE FROM " + TABLE);
            }
            return null;
        });
    }

    private String where() {
        return TABLE + " as " + script + " creates it on " + schema;
    }

    private static void assertNoDifferences(String what, List<String> differences) {
        if (!differences.isEmpty()) {
            fail(SchemaConformance.report(what, differences));
        }
    }

    // ------------------------------------------------------------------------------------------ the table's shape

    @Test
    void theScriptCreatesTheEntityTableAndNothingElse() {
        List<String> tables = jdbc(c -> SchemaConformance.tables(c, schema.catalog(), schema.schema()));
        assertThat(tables).as("tables %s creates (InboxEvent maps @Table(name = \"%s\"))", script, TABLE)
                .hasSize(1).allMatch(TABLE::equalsIgnoreCase);
    }

    @Test
    void theColumnsAreThoseTheEntityMaps() {
        assertNoDifferences("the columns of " + where() + " and of " + MAPPED.entity(),
                SchemaConformance.columnNameDifferences(MAPPED, table));
    }

    @Test
    void nullabilityFollowsTheEntity() {
        assertNoDifferences("NULL / NOT NULL of " + where() + " and of " + MAPPED.entity(),
                SchemaConformance.nullabilityDifferences(MAPPED, table));
    }

    @Test
    void thePrimaryKeyIsTheEntityId() {
        assertNoDifferences("the primary key of " + where() + " and " + MAPPED.entity() + "'s @Id",
                SchemaConformance.primaryKeyDifferences(MAPPED, table));
    }

    @Test
    void columnTypesHoldTheEntityValues() {
        assertNoDifferences("column types of " + where() + " and the Java types of " + MAPPED.entity(),
                SchemaConformance.typeDifferences(MAPPED, table, vendor.equals("mysql")));
    }

    @Test
    void statusAndProcessedAtAreIndexedOnEveryVendor() {
        assertThat(table.indexes()).as("indexes of %s: one on (status, processed_at) expected", where())
                .anyMatch(index -> !index.unique() && index.columns().equals(List.of("status", "processed_at")));
    }

    // ------------------------------------------------------------------------- EclipseLink on the script's table

    @Test
    void eclipseLinkWritesAndReadsAnInboxEventWithItsTimestamps() {
        inTransaction(em -> {
            InboxEvent event = new InboxEvent("evt-roundtrip", "invoice.created", "invoice", "INV-1",
                    "billing.sync.orders", "jetstream-bridge-stream", 42, RECEIVED);
            event.markProcessed(3, PROCESSED);
            em.persist(event);
        });

        InboxEvent read = read(em -> em.find(InboxEvent.class, "evt-roundtrip"));
        assertThat(read).as("the row read back from %s", where()).isNotNull();
        assertThat(read.eventId()).isEqualTo("evt-roundtrip");
        assertThat(read.processed()).isTrue();
        assertThat(read.deliveries()).isEqualTo(3);
        assertThat(read.attempts()).isZero();
        assertThat(read.lastError()).isNull();
        assertThat(read.processedAt()).as("processed_at read back (microseconds kept)").isEqualTo(PROCESSED);
        assertThat(read.failedAt()).isNull();

        // stored as UTC wall-clock time, to the microsecond, as any SQL client sees it
        jdbc(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT received_at, created_at, "
                    + "updated_at, processed_at, failed_at, stream_seq, event_type, resource_id, status, deliveries, "
                    + "attempts FROM " + TABLE + " WHERE event_id = ?")) {
                query.setString(1, "evt-roundtrip");
                try (ResultSet row = query.executeQuery()) {
                    assertThat(row.next()).as("the row of evt-roundtrip in %s", where()).isTrue();
                    LocalDateTime received = LocalDateTime.parse("2026-11-26T17:04:05.123456");
                    LocalDateTime processed = LocalDateTime.parse("2026-11-26T17:04:06.654321");
                    assertThat(row.getTimestamp("received_at").toLocalDateTime()).isEqualTo(received);
                    assertThat(row.getTimestamp("created_at").toLocalDateTime()).isEqualTo(received);
                    assertThat(row.getTimestamp("updated_at").toLocalDateTime()).isEqualTo(processed);
                    assertThat(row.getTimestamp("processed_at").toLocalDateTime()).isEqualTo(processed);
                    assertThat(row.getTimestamp("failed_at")).isNull();
                    assertThat(row.getLong("stream_seq")).isEqualTo(42);
                    assertThat(row.getString("event_type")).isEqualTo("invoice.created");
                    assertThat(row.getString("resource_id")).isEqualTo("INV-1");
                    assertThat(row.getString("status")).isEqualTo(InboxEvent.PROCESSED);
                    assertThat(row.getLong("deliveries")).isEqualTo(3);
                    assertThat(row.getInt("attempts")).isZero();
                }
            }
            return null;
        });
    }

    @Test
    void aSecondRowForTheSameEventIdIsRefusedByTheDatabase() {
        inTransaction(em -> em.persist(event("evt-dup", "invoice.created")));

        Throwable second = catchThrowable(() -> inTransaction(em -> em.persist(event("evt-dup", "invoice.voided"))));

        assertThat(second).as("committing a second row for evt-dup in %s", where()).isNotNull();
        SQLException cause = sqlCause(second);
        assertThat((Throwable) cause).as("the SQLException under %s", second).isNotNull();
        assertThat(cause.getSQLState()).as("SQLState of %s (23: integrity constraint violation)", cause)
                .startsWith("23");
        assertThat(count("evt-dup")).isEqualTo(1);
        assertThat(this.<String>jdbc(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT event_type FROM " + TABLE + " WHERE event_id = ?")) {
                query.setString(1, "evt-dup");
                try (ResultSet row = query.executeQuery()) {
                    row.next();
                    return row.getString(1);
                }
            }
        })).as("the first row stays").isEqualTo("invoice.created");
    }

    @Test
    void eventIdsThatDifferOnlyInLetterCaseAreDifferentEvents() {
        inTransaction(em -> em.persist(event("evt-Case-7f3a", "invoice.created")));
        inTransaction(em -> em.persist(event("EVT-CASE-7F3A", "invoice.created")));

        assertThat(count("evt-Case-7f3a") + count("EVT-CASE-7F3A"))
                .as("rows for two event ids that differ in case only, in %s: the key must compare them exactly, "
                        + "as Java and the other vendors do", where()).isEqualTo(2);
        assertThat(read(em -> em.find(InboxEvent.class, "EVT-CASE-7F3A")).eventId()).isEqualTo("EVT-CASE-7F3A");
        assertThat(this.<InboxEvent>read(em -> em.find(InboxEvent.class, "evt-case-7f3a"))).isNull();
    }

    @Test
    void errorTextOfAnyScriptUpToTheColumnLengthIsKept() {
        String error = unicodeText(InboxStore.MAX_ERROR_LENGTH);
        inTransaction(em -> {
            InboxEvent event = new InboxEvent("evt-ünïcödé-✓", "invoice.created", "Rechnung", "Ä-検査-😀",
                    "billing.sync.orders", "jetstream-bridge-stream", 7, RECEIVED);
            event.markFailed(1, error, PROCESSED);
            em.persist(event);
        });

        InboxEvent read = read(em -> em.find(InboxEvent.class, "evt-ünïcödé-✓"));
        assertThat(read).as("the failed row read back from %s", where()).isNotNull();
        assertThat(read.status()).isEqualTo(InboxEvent.FAILED);
        assertThat(read.attempts()).isEqualTo(1);
        assertThat(read.failedAt()).isEqualTo(PROCESSED);
        assertThat(read.lastError()).as("last_error (%s characters, Latin, Greek, CJK, emoji) read back from %s",
                error.length(), where()).hasSize(error.length()).isEqualTo(error);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static InboxEvent event(String id, String type) {
        InboxEvent event = new InboxEvent(id, type, "invoice", "INV-1", "billing.sync.orders",
                "jetstream-bridge-stream", 1, RECEIVED);
        event.markProcessed(1, PROCESSED);
        return event;
    }

    /** Exactly {@code length} Java chars mixing scripts and a supplementary character (never a split pair). */
    private static String unicodeText(int length) {
        String pattern = "Grüße, Ωμέγα ✓ 検査 😀 ";
        StringBuilder text = new StringBuilder(length);
        int i = 0;
        while (true) {
            int codePoint = pattern.codePointAt(i % pattern.length());
            if (text.length() + Character.charCount(codePoint) > length) {
                break;
            }
            text.appendCodePoint(codePoint);
            i += Character.charCount(codePoint);
        }
        while (text.length() < length) {
            text.append('.');
        }
        return text.toString();
    }

    private long count(String eventId) {
        return jdbc(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT COUNT(*) FROM " + TABLE + " WHERE event_id = ?")) {
                query.setString(1, eventId);
                try (ResultSet row = query.executeQuery()) {
                    row.next();
                    return row.getLong(1);
                }
            }
        });
    }

    private static SQLException sqlCause(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    @FunctionalInterface
    private interface JdbcWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T jdbc(JdbcWork<T> work) {
        try (Connection connection = schema.openConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("JDBC on " + schema + " failed", e);
        }
    }

    private void inTransaction(Consumer<EntityManager> work) {
        EntityManager em = factory().createEntityManager();
        try {
            em.getTransaction().begin();
            work.accept(em);
            em.getTransaction().commit();
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }

    private <T> T read(Function<EntityManager, T> work) {
        EntityManager em = factory().createEntityManager();
        try {
            return work.apply(em);
        } finally {
            em.close();
        }
    }

    /**
     * EclipseLink, RESOURCE_LOCAL, on the schema's JDBC URL: no server, no JTA, no DDL generation (the script made
     * the table), no shared cache (every read goes to the database). Built on first use, so that a bootstrap
     * failure fails only the tests that need it.
     */
    private synchronized EntityManagerFactory factory() {
        if (factory == null) {
            Map<String, Object> properties = new HashMap<>();
            properties.put(PersistenceUnitProperties.TRANSACTION_TYPE, "RESOURCE_LOCAL");
            properties.put(PersistenceUnitProperties.JDBC_URL, schema.jdbcUrl());
            properties.put(PersistenceUnitProperties.JDBC_USER, schema.user());
            properties.put(PersistenceUnitProperties.JDBC_PASSWORD, schema.password());
            try {
                properties.put(PersistenceUnitProperties.JDBC_DRIVER,
                        DriverManager.getDriver(schema.jdbcUrl()).getClass().getName());
            } catch (SQLException e) {
                throw new IllegalStateException("no JDBC driver for " + schema.jdbcUrl(), e);
            }
            properties.put(PersistenceUnitProperties.WEAVING, "false");
            properties.put(PersistenceUnitProperties.DDL_GENERATION, PersistenceUnitProperties.NONE);
            properties.put(PersistenceUnitProperties.CACHE_SHARED_DEFAULT, "false");
            properties.put(PersistenceUnitProperties.LOGGING_LEVEL, "WARNING");
            properties.put(PersistenceUnitProperties.SESSION_NAME, "inbox-schema-" + UUID.randomUUID());
            Properties unitProperties = new Properties();
            unitProperties.putAll(properties);
            factory = new PersistenceProvider().createContainerEntityManagerFactory(
                    TestPersistenceUnit.resourceLocal("inbox-schema-" + vendor, List.of(InboxEvent.class.getName()),
                            unitProperties, TestPersistenceUnit.emptyRootUrl("inbox-schema-unit-root"),
                            AbstractInboxSchemaTest.class.getClassLoader()),
                    properties);
        }
        return factory;
    }
}
