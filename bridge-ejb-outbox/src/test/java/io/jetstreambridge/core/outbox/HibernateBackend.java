package io.jetstreambridge.core.outbox;

import io.jetstreambridge.core.transaction.ResourceLocalTransactions;
import io.jetstreambridge.core.transaction.Transactions;
import io.jetstreambridge.schema.ShippedScripts;
import io.jetstreambridge.testing.jta.SqlScript;
import io.jetstreambridge.testing.jta.TestDatabase;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** A {@link TestDatabase} with every shipped script, under Hibernate 6.6 with RESOURCE_LOCAL transactions. */
final class HibernateBackend implements OutboxBackend {

    private final TestDatabase database;
    private final HibernateUnit hibernate;
    private final OutboxDialect dialect;

    HibernateBackend(TestDatabase database, ShippedScripts.Database scripts) {
        this.database = database;
        try {
            applyShippedScripts(database, scripts);
            hibernate = HibernateUnit.start("outbox-hibernate-" + scripts.folder(), List.of(OutboxEvent.class),
                    database.jdbcUrl(), database.user(), database.password(), Map.of());
            try (Connection connection = openConnection()) {
                dialect = OutboxDialect.detect(connection);
            }
        } catch (SQLException | RuntimeException e) {
            database.close();
            throw new IllegalStateException(e);
        }
    }

    /** Every shipped script of the database's folder (both jars), in version order, as a migration tool would. */
    static void applyShippedScripts(TestDatabase database, ShippedScripts.Database scripts) {
        ShippedScripts.of(scripts).forEach(script -> database.runScript(SqlScript.readResource(script.resource())));
    }

    @Override
    public OutboxDialect dialect() {
        return dialect;
    }

    @Override
    public Transactions transactions() {
        return new ResourceLocalTransactions(hibernate.factory());
    }

    @Override
    public Connection openConnection() throws SQLException {
        return database.openConnection();
    }

    @Override
    public void close() {
        try {
            hibernate.close();
        } finally {
            database.close();
        }
    }
}
