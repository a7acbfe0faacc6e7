package io.jetstreambridge.core.outbox;

import io.jetstreambridge.config.OutboxSettings.SentRows;
import io.jetstreambridge.core.transaction.ResourceLocalTransactions;
import io.jetstreambridge.core.transaction.Transactions;
import io.jetstreambridge.schema.ShippedScripts;
import io.jetstreambridge.testing.jta.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hibernate is not the slow path: with Hibernate 6.6 as the provider (as on WildFly), the outbox runs its native
 * statements on the transaction's own connection, which Hibernate lends through {@code Session.doReturningWork}
 * ({@link TransactionConnection}), instead of falling back to JPQL; and {@code outbox.database=auto} tells the
 * database from that connection, with a unit that names neither a data source nor a dialect. On the local
 * PostgreSQL, a schema of its own with every shipped script.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HibernateNativePathTest {

    private static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");

    private TestDatabase database;
    private HibernateUnit hibernate;
    private Transactions tx;

    @BeforeAll
    void start() {
        database = TestDatabase.postgres("hibernate");
        HibernateBackend.applyShippedScripts(database, ShippedScripts.Database.POSTGRESQL);
        hibernate = HibernateUnit.start("outbox-hibernate", List.of(OutboxEvent.class), database.jdbcUrl(),
                database.user(), database.password(), Map.of());
        tx = new ResourceLocalTransactions(hibernate.factory());
    }

    @AfterAll
    void stop() {
        try {
            if (hibernate != null) {
                hibernate.close();
            }
        } finally {
            database.close();
        }
    }

    @Test
    void theDatabaseIsDetectedThroughHibernatesConnection() {
        assertThat(tx.inTransaction(DatabaseDetection::dialectOf)).isEqualTo(OutboxDialect.POSTGRESQL);
    }

    @ParameterizedTest
    @EnumSource(SentRows.class)
    void finishingSentRowsRunsTheDialectsJdbcStatementNotAJpqlOne(SentRows sentRows) throws Exception {
        JpaOutboxStore store = new JpaOutboxStore(OutboxDialect.POSTGRESQL, sentRows);
        List<Long> ids = tx.inTransaction(em -> IntStream.range(0, 3).mapToObj(i -> store.append(em,
                new NewOutboxEvent(UUID.randomUUID().toString(), "order.created", "order", "O-" + i,
                        "shop.sync.billing", "{\"n\":" + i + "}", Map.of()), T0).getAsLong()).toList());
        List<OutboxStore.Sent> sent = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            sent.add(new OutboxStore.Sent(ids.get(i), 100 + i));
        }

        assertThat(pendingRows()).isEqualTo(ids.size());
        hibernate.clearStatements();
        tx.inTransaction(em -> {
            store.finishSent(em, sent, T0.plusSeconds(1));
            return null;
        });

        assertThat(hibernate.statements()).as("statements Hibernate generated for finishSent (a JPQL update or "
                + "delete would be one of them)").noneMatch(sql -> sql.toLowerCase(Locale.ROOT).contains(OutboxEvent.TABLE));
        assertThat(pendingRows()).as("rows still pending after finishSent committed").isZero();
    }

    private long pendingRows() throws Exception {
        try (Connection connection = database.openConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + OutboxEvent.TABLE
                     + " WHERE status = '" + OutboxEvent.PENDING + "'")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
