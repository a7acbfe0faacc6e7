package io.jetstreambridge.testing.jta;

import io.jetstreambridge.core.inbox.InboxEvent;
import io.jetstreambridge.core.outbox.OutboxEvent;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The bridge's tables on a test database for one test class, as a JUnit extension: a {@link JpaHarness} started
 * before the class with the shipped DDL of the tables asked for (and a test's own), their rows deleted before each
 * test, closed (the database dropped) after the class.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final BridgeTables TABLES = BridgeTables.postgres("consumer").inbox()
 *         .table(InvoiceEffect.class, InvoiceEffect.DDL, "test_invoice_effects");
 * ... TABLES.jpa(), TABLES.database().countRows("test_invoice_effects") ...
 * }</pre>
 *
 * <p>The inbox's DDL comes with {@code bridge-core}, the outbox's with {@code bridge-ejb-outbox}: {@link #outbox()}
 * needs that module on the test class path.
 */
public final class BridgeTables implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private static final String INBOX_TABLE = "jetstream_bridge_inbox_events";
    private static final String OUTBOX_TABLE = "jetstream_bridge_outbox_events";

    /** Asked before the class, so that a class that fails to connect fails there, not while it is loaded. */
    private final Supplier<TestDatabase> database;
    private final List<Class<?>> entities = new ArrayList<>();
    private final List<String> ddlResources = new ArrayList<>();
    private final List<String> ddl = new ArrayList<>();
    private final List<String> tables = new ArrayList<>();
    private JpaHarness jpa;

    private BridgeTables(Supplier<TestDatabase> database) {
        this.database = database;
    }

    /** A fresh PostgreSQL schema ({@link TestDatabase#postgres(String)}), created before the class. */
    public static BridgeTables postgres(String hint) {
        return new BridgeTables(() -> TestDatabase.postgres(hint));
    }

    /** A fresh in-memory H2 database ({@link TestDatabase#h2(String)}), created before the class. */
    public static BridgeTables h2(String hint) {
        return new BridgeTables(() -> TestDatabase.h2(hint));
    }


    /** The inbox: {@link InboxEvent} and {@code V1__jetstream_bridge_inbox.sql}. */
    public BridgeTables inbox() {
        return shipped(InboxEvent.class, INBOX_TABLE, "V1__jetstream_bridge_inbox.sql");
    }

    /** The outbox: {@link OutboxEvent}, {@code V2__jetstream_bridge_outbox.sql} and its indexes ({@code V3}). */
    public BridgeTables outbox() {
        return shipped(OutboxEvent.class, OUTBOX_TABLE, "V2__jetstream_bridge_outbox.sql",
                "V3__jetstream_bridge_outbox_indexes.sql");
    }

    /** A test's own entity and table: created by {@code ddl}, emptied before each test. */
    public BridgeTables table(Class<?> entity, String ddl, String table) {
        entities.add(entity);
        this.ddl.add(ddl);
        tables.add(table);
        return this;
    }

    private BridgeTables shipped(Class<?> entity, String table, String... scripts) {
        entities.add(entity);
        tables.add(table);
        for (String script : scripts) {
            ddlResources.add(script);
        }
        return this;
    }

    /** The running harness (after {@code beforeAll}). */
    public JpaHarness jpa() {
        if (jpa == null) {
            throw new IllegalStateException("BridgeTables starts before the class: register it with @RegisterExtension "
                    + "on a static field");
        }
        return jpa;
    }

    /** The harness's database, for plain JDBC checks. */
    public TestDatabase database() {
        return jpa().database();
    }

    /** Deletes every row of the tables this fixture created. */
    public void deleteRows() {
        for (String table : tables) {
            database().execute("DELETE FROM " + table);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        TestDatabase db = database.get();
        String scripts = "db/jetstream-bridge/" + scriptDirectory(db.kind()) + "/";
        JpaHarness.Builder builder = JpaHarness.builder().database(db).entities(entities.toArray(Class<?>[]::new));
        ddlResources.forEach(script -> builder.ddlResource(scripts + script));
        ddl.forEach(builder::ddl);
        jpa = builder.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        deleteRows();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (jpa != null) {
            jpa.close();
            jpa = null;
        }
    }

    /** Where the shipped DDL of a database lives ({@code db/jetstream-bridge/{directory}/}, see schema.md). */
    private static String scriptDirectory(TestDatabase.Kind kind) {
        return kind == TestDatabase.Kind.POSTGRESQL ? "postgresql" : kind.name().toLowerCase(Locale.ROOT);
    }
}
