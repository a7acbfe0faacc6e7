package io.jetstreambridge.core.outbox;

import io.jetstreambridge.core.transaction.Transactions;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * What operators do with the outbox, as a plain engine over the store: see what is waiting, list rows that used up
 * their attempts, retry them (one, or in bulk) or discard one. Each call, and each batch of a bulk retry, runs in a
 * transaction of its own. The CDI {@code OutboxMaintenanceService} and the admin command line both use it.
 */
public final class OutboxMaintenance {

    /** Rows put back to pending per transaction of a bulk retry: short transactions, bounded lock sets. */
    public static final int RETRY_BATCH = 500;

    private final OutboxStore store;
    private final Transactions transactions;
    private final Clock clock;
    private final int batchSize;

    public OutboxMaintenance(OutboxStore store, Transactions transactions, Clock clock) {
        this(store, transactions, clock, RETRY_BATCH);
    }

    OutboxMaintenance(OutboxStore store, Transactions transactions, Clock clock, int batchSize) {
        this.store = Objects.requireNonNull(store, "store");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
        this.batchSize = batchSize;
    }

    /** Pending and failed counts and the age of the oldest pending row. */
    public OutboxStore.Backlog backlog() {
        return transactions.inTransaction(store::backlog);
    }

    /** Failed rows that match, oldest first. */
    public List<OutboxRow> failed(FailedRows which, int limit) {
        return transactions.inTransaction(em -> store.failed(em, which, 0, limit));
    }

    /** Puts one failed row back to pending with fresh attempts; false when there is no such failed row. */
    public boolean retry(String eventId) {
        return transactions.inTransaction(em -> store.retry(em, eventId, clock.instant()));
    }

    /**
     * Puts every failed row that matches back to pending with fresh attempts, in batches of {@link #RETRY_BATCH}
     * rows, each batch in a transaction of its own, in id order. A row that fails again while this runs is not
     * taken a second time (the walk only moves forward), so the call always ends. When a batch fails, the batches
     * before it stay retried and the exception says so.
     *
     * @return rows put back to pending
     */
    public int retryFailed(FailedRows which) {
        Objects.requireNonNull(which, "which");
        int retried = 0;
        long after = 0;
        while (true) {
            long from = after;
            OutboxStore.Retried batch;
            try {
                batch = transactions.inTransaction(em -> store.retryFailed(em, which, from, batchSize,
                        clock.instant()));
            } catch (RuntimeException e) {
                throw new BulkRetryException(retried, e);
            }
            retried += batch.count();
            if (batch.lastId() == 0) {
                return retried;
            }
            after = batch.lastId();
        }
    }

    /** Deletes one failed row: its event will never be published; false when there is no such failed row. */
    public boolean discard(String eventId) {
        return transactions.inTransaction(em -> store.discard(em, eventId));
    }

    /** A bulk retry that stopped part-way: the rows it already put back stay pending. */
    public static final class BulkRetryException extends IllegalStateException {

        private static final long serialVersionUID = 1L;
        private final int retried;

        BulkRetryException(int retried, RuntimeException cause) {
            super("bulk retry of failed outbox rows stopped after " + retried + " rows were put back to pending "
                    + "(those stay pending; run it again for the rest): " + cause, cause);
            this.retried = retried;
        }

        /** Rows put back to pending before the failure. */
        public int retried() {
            return retried;
        }
    }
}
