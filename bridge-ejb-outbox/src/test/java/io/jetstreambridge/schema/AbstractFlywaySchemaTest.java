package io.jetstreambridge.schema;

import io.jetstreambridge.core.outbox.HibernateUnit;
import io.jetstreambridge.schema.MappedEntities.MappedTable;
import io.jetstreambridge.testing.jta.SqlScript;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static io.jetstreambridge.schema.MappedEntities.lower;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The shipped scripts of both jars, applied by real Flyway to an empty database of one kind through the one
 * location {@code classpath:db/jetstream-bridge/<database>} (docs/schema.md), create exactly the tables the bridge's
 * entities map, as EclipseLink reads the mapping, and pass Hibernate's schema validation (WildFly's provider).
 * Written once, run by one subclass per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractFlywaySchemaTest {

    private static final String HISTORY = "flyway_schema_history";
    private static final String OUTBOX = "jetstream_bridge_outbox_events";
    /** The scripts of indexes only some configurations use, beside (not in) Flyway's location. */
    private static final List<String> OPTIONAL = List.of("jetstream_bridge_outbox_resource_index.sql",
            "jetstream_bridge_outbox_retention_index.sql");

    private final ShippedScripts.Database database;
    private EmptyDatabase empty;
    private MigrateResult firstMigration;
    /** The statements Flyway sent, per script file name, in order. */
    private final Map<String, List<String>> executed = new LinkedHashMap<>();
    private DatabaseSchema schema;
    private EntityManagerFactory factory;
    private List<MappedTable> mapped;

    AbstractFlywaySchemaTest(ShippedScripts.Database database) {
        this.database = database;
    }

    /** A new, empty database (or schema) of the kind under test. */
    abstract EmptyDatabase createEmpty(String hint);

    @BeforeAll
    void migrateAnEmptyDatabase() throws Exception {
        empty = createEmpty("flyway");
        assertThat(empty.readSchema().tables()).as("tables of %s before Flyway", empty).isEmpty();
        firstMigration = flyway(empty, c -> c.callbacks(new StatementRecorder())).migrate();
        schema = empty.readSchema();
        factory = MappedEntities.deploy("schema-" + database.folder() + "-" + UUID.randomUUID(),
                MappedEntities.bridgeEntities(), empty.jdbcUrl(), empty.user(), empty.password());
        mapped = MappedEntities.tables(factory);
    }

    @AfterAll
    void dropTheDatabase() throws Exception {
        try {
            if (factory != null) {
                factory.close();
            }
        } finally {
            if (empty != null) {
                empty.close();
            }
        }
    }

    Flyway flyway(EmptyDatabase target, UnaryOperator<FluentConfiguration> settings) {
        FluentConfiguration configuration = Flyway.configure(getClass().getClassLoader())
                .dataSource(target.jdbcUrl(), target.user(), target.password())
                .locations(database.location())
                .cleanDisabled(true);
        return settings.apply(configuration).load();
    }

    // ------------------------------------------------------------------------------------------------ migrate

    @Test
    void flywayAppliesEveryShippedScriptOfBothJarsInVersionOrder() {
        List<ShippedScripts.Script> shipped = ShippedScripts.of(database);
        assertThat(firstMigration.success).isTrue();
        assertThat(firstMigration.migrationsExecuted).as("migrations Flyway ran on %s", empty)
                .isEqualTo(shipped.size());
        assertThat(firstMigration.migrations.stream().map(m -> m.version).toList())
                .as("versions applied, in order").isEqualTo(shipped.stream().map(ShippedScripts.Script::version)
                        .toList());
        assertThat(shipped).as("scripts of %s", database.location())
                .anyMatch(s -> s.origin().contains("bridge-core"))
                .anyMatch(s -> s.origin().contains("bridge-ejb-outbox"));
    }

    @Test
    void theDatabaseHoldsTheMappedTablesAndFlywaysHistoryOnly() {
        List<String> expected = new ArrayList<>(mapped.stream().map(t -> lower(t.name())).toList());
        expected.add(HISTORY);
        assertThat(schema.tables().keySet()).as("tables of %s after Flyway", empty)
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void everyEntityIsFoundAndMapsATable() {
        assertThat(mapped).extracting(MappedTable::entity).as("entities of bridge-cdi and bridge-ejb-outbox")
                .contains("InboxEvent", "OutboxEvent");
        assertThat(mapped).allSatisfy(t -> assertThat(t.columns()).as("columns of %s", t.entity()).isNotEmpty());
    }

    @Test
    void eachTableIsExactlyWhatItsEntityMaps() {
        List<String> differences = new ArrayList<>();
        for (MappedTable table : mapped) {
            DatabaseSchema.Table actual = schema.tables().get(lower(table.name()));
            if (actual == null) {
                differences.add("no table " + table.name() + " for " + table.entity());
                continue;
            }
            SchemaDifferences.of(table, actual, database == ShippedScripts.Database.MYSQL)
                    .forEach(d -> differences.add(table.name() + ": " + d));
        }
        if (!differences.isEmpty()) {
            fail(SchemaDifferences.report("the tables Flyway created on " + empty
                    + " and the tables the entities map", differences));
        }
    }

    @Test
    void theEventIdIsUniqueInEveryTable() {
        for (MappedTable table : mapped) {
            DatabaseSchema.Table actual = schema.tables().get(lower(table.name()));
            assertThat(actual.indexes()).as("unique keys of %s on %s: the code relies on one event id per row",
                    table.name(), empty).anyMatch(i -> i.unique() && i.columns().equals(List.of("event_id")));
        }
    }

    @Test
    void eclipseLinkReadsEveryEntityFromItsTable() {
        EntityManager em = factory.createEntityManager();
        try {
            for (MappedTable table : mapped) {
                assertThat(em.createQuery("SELECT e FROM " + table.entity() + " e").getResultList())
                        .as("%s read from %s", table.entity(), empty).isEmpty();
            }
        } finally {
            em.close();
        }
    }

    @Test
    void flywaySplitsEachScriptIntoTheStatementsItHolds() {
        assertThat(executed.keySet()).as("scripts whose statements Flyway reported")
                .containsExactlyElementsOf(ShippedScripts.of(database).stream().map(ShippedScripts.Script::fileName)
                        .toList());
        for (ShippedScripts.Script script : ShippedScripts.of(database)) {
            List<String> expected = SqlScript.split(SqlScript.readResource(script.resource())).stream()
                    .map(AbstractFlywaySchemaTest::normalize).toList();
            assertThat(executed.get(script.fileName()).stream().map(AbstractFlywaySchemaTest::normalize).toList())
                    .as("statements Flyway sent for %s on %s", script.resource(), empty)
                    .containsExactlyElementsOf(expected);
        }
    }

    // ------------------------------------------------------------------------------------------------ Hibernate

    @Test
    void hibernateValidatesTheEntitiesAgainstEveryShippedScript() {
        // WildFly's provider reads the same tables its own way (hbm2ddl validate: tables, columns, their types)
        try (HibernateUnit validated = hibernateValidate(empty)) {
            assertThat(validated.factory().isOpen()).isTrue();
        }
    }

    @Test
    void hibernateValidationFailsWithoutTheOutboxScript() throws Exception {
        try (EmptyDatabase inboxOnly = createEmpty("hv-inbox-only")) {
            flyway(inboxOnly, c -> c.target("1")).migrate();
            assertThatThrownBy(() -> hibernateValidate(inboxOnly).close())
                    .as("Hibernate validate on %s, which lacks the outbox table", inboxOnly)
                    .hasStackTraceContaining("jetstream_bridge_outbox_events");
        }
    }

    /** Hibernate 6.6 with {@code hibernate.hbm2ddl.auto=validate} on {@code target}, the bridge's entities. */
    private HibernateUnit hibernateValidate(EmptyDatabase target) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("hibernate.hbm2ddl.auto", "validate");
        if (target.schema() != null) {
            properties.put("hibernate.default_schema", target.schema());
        }
        if (target.catalog() != null) {
            properties.put("hibernate.default_catalog", target.catalog());
        }
        return HibernateUnit.start("hibernate-validate-" + database.folder(), MappedEntities.bridgeEntities(),
                target.jdbcUrl(), target.user(), target.password(), properties);
    }

    // ------------------------------------------------------------------------------------------------ again

    @Test
    void migratingAgainIsANoOpAndValidatePasses() throws SQLException {
        Flyway flyway = flyway(empty, c -> c);
        MigrateResult again = flyway.migrate();
        assertThat(again.migrationsExecuted).as("migrations run by a second migrate on %s", empty).isZero();
        ValidateResult validation = flyway.validateWithResult();
        assertThat(validation.validationSuccessful).as("Flyway validate on %s: %s", empty,
                validation.getAllErrorMessages()).isTrue();
        assertThat(flyway.info().pending()).isEmpty();
        assertThat(Arrays.stream(flyway.info().applied()).map(MigrationInfo::getVersion).map(String::valueOf)
                .toList()).isEqualTo(ShippedScripts.of(database).stream().map(ShippedScripts.Script::version)
                .toList());
        assertThat(empty.readSchema()).as("the schema after the second migrate").isEqualTo(schema);
    }

    // ------------------------------------------------------------------------------------------------ upgrades

    @Test
    void theOutboxScriptsApplyLaterOnADatabaseThatHasTheInboxOnly() throws Exception {
        try (EmptyDatabase later = createEmpty("later")) {
            MigrateResult inboxOnly = flyway(later, c -> c.target("1")).migrate();
            assertThat(inboxOnly.migrationsExecuted).isEqualTo(1);
            MigrateResult rest = flyway(later, c -> c).migrate();
            assertThat(rest.migrations.stream().map(m -> m.version).toList())
                    .isEqualTo(ShippedScripts.of(database).stream().map(ShippedScripts.Script::version).skip(1)
                            .toList());
            assertThat(flyway(later, c -> c).validateWithResult().validationSuccessful).isTrue();
            DatabaseSchema after = later.readSchema();
            for (MappedTable table : mapped) {
                assertThat(shape(after, table)).as("%s: inbox first, outbox later, against all at once",
                        table.name()).isEqualTo(shape(schema, table));
            }
        }
    }

    @Test
    void theIndexScriptUpgradesAnOutboxTableThatHoldsRows() throws Exception {
        try (EmptyDatabase installed = createEmpty("upgrade")) {
            assertThat(flyway(installed, c -> c.target("2")).migrate().migrationsExecuted).isEqualTo(2);
            assertThat(installed.readSchema().tables().get(OUTBOX).indexes()).extracting(DatabaseSchema.Index::name)
                    .as("the V2 indexes before the upgrade")
                    .contains(OUTBOX + "_claim", OUTBOX + "_resource", OUTBOX + "_retention");
            try (Connection connection = installed.openConnection();
                 PreparedStatement insert = connection.prepareStatement("INSERT INTO " + OUTBOX + " (event_id, "
                         + "event_type, resource_type, resource_id, subject, payload, status, attempts, created_at, "
                         + "next_attempt_at, sent_at, stream_seq) VALUES (?, 'order.created', 'order', 'O-1', "
                         + "'orders.sync.billing', '{}', ?, 0, ?, ?, ?, ?)")) {
                Timestamp at = Timestamp.valueOf("2026-12-01 10:00:00");
                for (String status : List.of("pending", "sent", "failed")) {
                    insert.setString(1, "e-" + status);
                    insert.setString(2, status);
                    insert.setTimestamp(3, at);
                    insert.setTimestamp(4, at);
                    insert.setTimestamp(5, status.equals("sent") ? at : null);
                    if (status.equals("sent")) {
                        insert.setLong(6, 7);
                    } else {
                        insert.setNull(6, java.sql.Types.BIGINT);
                    }
                    insert.executeUpdate();
                }
            }

            MigrateResult upgrade = flyway(installed, c -> c).migrate();

            assertThat(upgrade.migrations.stream().map(m -> m.version).toList()).containsExactly("3");
            assertThat(flyway(installed, c -> c).validateWithResult().validationSuccessful).isTrue();
            for (MappedTable table : mapped) {
                assertThat(shape(installed.readSchema(), table)).as("%s upgraded from V2 against a new install",
                        table.name()).isEqualTo(shape(schema, table));
            }
            try (Connection connection = installed.openConnection();
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT event_id, status FROM " + OUTBOX + " ORDER BY id")) {
                List<String> kept = new ArrayList<>();
                while (rows.next()) {
                    kept.add(rows.getString(1) + "=" + rows.getString(2));
                }
                assertThat(kept).as("the rows survive the upgrade")
                        .containsExactly("e-pending=pending", "e-sent=sent", "e-failed=failed");
            }
        }
    }

    @Test
    void theOptionalIndexesAreOutsideFlywaysLocationAndApplyAfterTheLastScript() throws Exception {
        List<String> names = new ArrayList<>();
        for (String optional : OPTIONAL) {
            String resource = "db/jetstream-bridge-optional/" + database.folder() + "/" + optional;
            assertThat(getClass().getClassLoader().getResource(resource)).as(resource).isNotNull();
            names.add(resource);
        }
        assertThat(schema.tables().get(OUTBOX).indexes()).extracting(DatabaseSchema.Index::name)
                .as("indexes of a new install: the claim's only, besides the keys")
                .doesNotContain(OUTBOX + "_resource", OUTBOX + "_retention");
        try (EmptyDatabase optional = createEmpty("optional")) {
            flyway(optional, c -> c).migrate();
            try (Connection connection = optional.openConnection();
                 Statement statement = connection.createStatement()) {
                for (String resource : names) {
                    for (String sql : SqlScript.split(SqlScript.readResource(resource))) {
                        statement.execute(sql);
                    }
                }
            }
            assertThat(optional.readSchema().tables().get(OUTBOX).indexes())
                    .as("the optional indexes, as V2 had them")
                    .contains(new DatabaseSchema.Index(OUTBOX + "_resource", false,
                                    List.of("resource_type", "resource_id", "id")),
                            new DatabaseSchema.Index(OUTBOX + "_retention", false, List.of("status", "sent_at")));
            assertThat(flyway(optional, c -> c).validateWithResult().validationSuccessful)
                    .as("Flyway neither finds nor minds them").isTrue();
        }
    }

    @Test
    void aHistoryTableOfItsOwnAppliesEveryScriptBesideTheApplicationsTables() throws Exception {
        try (EmptyDatabase app = createEmpty("app")) {
            try (Connection connection = app.openConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE purchase_order (id BIGINT NOT NULL PRIMARY KEY)");
            }
            // as docs/schema.md says: own history table; baseline 0 so that V1 is not taken as already applied
            MigrateResult result = flyway(app, c -> c.table("jetstream_bridge_schema_history")
                    .baselineOnMigrate(true).baselineVersion("0")).migrate();
            assertThat(result.migrationsExecuted).isEqualTo(ShippedScripts.of(database).size());
            DatabaseSchema after = app.readSchema();
            assertThat(after.tables().keySet()).contains("purchase_order", "jetstream_bridge_schema_history")
                    .doesNotContain(HISTORY);
            for (MappedTable table : mapped) {
                assertThat(shape(after, table)).as("%s beside the application's tables", table.name())
                        .isEqualTo(shape(schema, table));
            }
        }
    }

    @Test
    void theDefaultBaselineVersionWouldSkipTheInboxScript() throws Exception {
        try (EmptyDatabase app = createEmpty("trap")) {
            try (Connection connection = app.openConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE purchase_order (id BIGINT NOT NULL PRIMARY KEY)");
            }
            MigrateResult result = flyway(app, c -> c.table("jetstream_bridge_schema_history")
                    .baselineOnMigrate(true)).migrate();
            assertThat(result.migrations.stream().map(m -> m.version).toList())
                    .as("why docs/schema.md sets baselineVersion 0: Flyway's default baseline is version 1")
                    .doesNotContain("1");
            assertThat(app.readSchema().tables()).doesNotContainKey("jetstream_bridge_inbox_events");
        }
    }

    // ------------------------------------------------------------------------------------------------ Liquibase

    @Test
    void theLiquibaseChangelogOfTheDocsCreatesTheSameTables() throws Exception {
        String changelog = DocsPage.block("schema.md", "schema:liquibase-changelog", "yaml")
                .replace("db/jetstream-bridge/postgresql/", "db/jetstream-bridge/" + database.folder() + "/");
        try (EmptyDatabase liquibase = createEmpty("liquibase")) {
            LiquibaseRun.update(liquibase, changelog);
            DatabaseSchema after = liquibase.readSchema();
            for (MappedTable table : mapped) {
                assertThat(shape(after, table)).as("%s created by Liquibase against Flyway", table.name())
                        .isEqualTo(shape(schema, table));
            }
        }
    }

    private static DatabaseSchema.Table shape(DatabaseSchema schema, MappedTable table) {
        DatabaseSchema.Table actual = schema.tables().get(lower(table.name()));
        assertThat(actual).as("table %s", table.name()).isNotNull();
        return actual.shape();
    }

    private static String normalize(String sql) {
        return sql.replaceAll("--[^\n]*", " ").replaceAll("\\s+", " ").strip().replaceAll(";$", "").strip();
    }

    /** Records each statement Flyway executes, per script. */
    private final class StatementRecorder implements Callback {

        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.AFTER_EACH_MIGRATE_STATEMENT;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            String script = context.getMigrationInfo().getScript();
            String file = script.substring(script.lastIndexOf('/') + 1);
            executed.computeIfAbsent(file, f -> new ArrayList<>()).add(context.getStatement().getSql());
        }

        @Override
        public String getCallbackName() {
            return "statement-recorder";
        }
    }
}
