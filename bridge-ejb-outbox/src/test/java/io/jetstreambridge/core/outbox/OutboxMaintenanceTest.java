package io.jetstreambridge.core.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jetstreambridge.core.transaction.Transactions;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.jta.TestDatabase;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** The operators' engine: bulk retry in bounded batches of their own transaction, on PostgreSQL. */
class OutboxMaintenanceTest {

    private static JpaHarness jpa;
    private final JpaOutboxStore store = new JpaOutboxStore(OutboxDialect.POSTGRESQL);

    @BeforeAll
    static void database() {
        jpa = JpaHarness.builder().database(TestDatabase.postgres("admin")).entities(OutboxEvent.class)
                .ddlResource("db/jetstream-bridge/postgresql/V2__jetstream_bridge_outbox.sql")
                .ddlResource("db/jetstream-bridge/postgresql/V3__jetstream_bridge_outbox_indexes.sql").start();
    }

    @AfterAll
    static void closeDatabase() {
        jpa.close();
    }

    @BeforeEach
    void clean() {
        jpa.database().execute("DELETE FROM jetstream_bridge_outbox_events");
        jpa.database().execute("INSERT INTO jetstream_bridge_outbox_events (event_id, event_type, subject, payload, "
                + "status, attempts, created_at, next_attempt_at) SELECT 'e-' || g, 'order.created', "
                + "'orders.sync.billing', '{}', 'failed', 5, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC' FROM generate_series(1, 7) g");
    }

    private long failed() {
        return jpa.database().queryForLong("SELECT COUNT(*) FROM jetstream_bridge_outbox_events "
                + "WHERE status = 'failed'");
    }

    @Test
    void aBulkRetryTakesEveryMatchingRowBatchByBatch() {
        AtomicInteger transactions = new AtomicInteger();
        Transactions counted = new Transactions() {
            @Override
            public <T> T inTransaction(Function<EntityManager, T> work) {
                transactions.incrementAndGet();
                return jpa.inTransaction(work);
            }
        };

        int retried = new OutboxMaintenance(store, counted, Clock.systemUTC(), 3).retryFailed(FailedRows.ALL);

        assertThat(retried).isEqualTo(7);
        assertThat(failed()).isZero();
        assertThat(transactions.get()).as("batches of 3, 3, 1 and the empty look that ends it").isEqualTo(4);
    }

    @Test
    void aFailingBatchKeepsTheEarlierBatchesAndSaysHowManyWentBack() {
        AtomicInteger calls = new AtomicInteger();
        Transactions secondFails = new Transactions() {
            @Override
            public <T> T inTransaction(Function<EntityManager, T> work) {
                if (calls.incrementAndGet() == 2) {
                    throw new IllegalStateException("database went away");
                }
                return jpa.inTransaction(work);
            }
        };

        OutboxMaintenance.BulkRetryException e = catchThrowableOfType(OutboxMaintenance.BulkRetryException.class,
                () -> new OutboxMaintenance(store, secondFails, Clock.systemUTC(), 3).retryFailed(FailedRows.ALL));

        assertThat(e.retried()).isEqualTo(3);
        assertThat(e).hasMessageContaining("after 3 rows").hasMessageContaining("database went away");
        assertThat(failed()).isEqualTo(4);
    }

    @Test
    void anAgeFilterCountsFromNow() {
        assertThat(FailedRows.of("order.created", java.time.Duration.ofHours(1), Instant.parse("2026-12-06T10:00:00Z")))
                .isEqualTo(new FailedRows("order.created", Instant.parse("2026-12-06T09:00:00Z")));
        assertThat(new OutboxMaintenance(store, jpa::inTransaction, Clock.systemUTC())
                .retryFailed(FailedRows.of(null, java.time.Duration.ofHours(1), Instant.now()))).isZero();
        assertThat(failed()).isEqualTo(7);
    }
}
