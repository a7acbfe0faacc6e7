package io.jetstreambridge.core.outbox;

import io.jetstreambridge.core.transaction.Transactions;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.jta.TestDatabase;

import java.sql.Connection;
import java.sql.SQLException;

/** PostgreSQL, H2 or Derby through the JTA harness: EclipseLink in JTA mode, Narayana, Agroal. */
final class HarnessBackend implements OutboxBackend {

    private final JpaHarness jpa;
    private final OutboxDialect dialect;

    HarnessBackend(TestDatabase database, String scriptDirectory) {
        jpa = JpaHarness.builder().database(database).entities(OutboxEvent.class)
                .ddlResource("db/jetstream-bridge/" + scriptDirectory + "/V2__jetstream_bridge_outbox.sql")
                .ddlResource("db/jetstream-bridge/" + scriptDirectory + "/V3__jetstream_bridge_outbox_indexes.sql")
                .start();
        try (Connection connection = openConnection()) {
            dialect = OutboxDialect.detect(connection);
        } catch (SQLException e) {
            jpa.close();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public OutboxDialect dialect() {
        return dialect;
    }

    @Override
    public Transactions transactions() {
        return jpa::inTransaction;
    }

    @Override
    public Connection openConnection() throws SQLException {
        return jpa.database().openConnection();
    }

    @Override
    public void close() {
        jpa.close();
    }
}
