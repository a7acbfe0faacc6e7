package io.jetstreambridge.testing.fakes;

import io.jetstreambridge.core.transaction.Transactions;
import jakarta.persistence.EntityManager;

import java.time.Duration;
import java.util.function.Function;

/**
 * {@link Transactions} without a database: writes {@code begin}, {@code commit} and {@code rollback} to a
 * {@link Journal} and hands the work the given entity manager (null by default). A commit can be made to fail,
 * as when the transaction manager rolled a timed-out transaction back; {@link #inTransactionWithin} then rethrows
 * that failure as {@code JtaTransactions} does.
 */
public final class FakeTransactions implements Transactions {

    private final Journal journal;
    private final EntityManager entityManager;
    private volatile Exception commitFailure;
    private volatile Duration lastTimeout;

    public FakeTransactions(Journal journal) {
        this(journal, null);
    }

    public FakeTransactions(Journal journal, EntityManager entityManager) {
        this.journal = journal;
        this.entityManager = entityManager;
    }

    /** Every later commit fails with this, after which the transaction is rolled back. */
    public FakeTransactions commitFails(Exception failure) {
        this.commitFailure = failure;
        return this;
    }

    /** The timeout of the last {@link #inTransactionWithin} call; null before the first. */
    public Duration lastTimeout() {
        return lastTimeout;
    }

    @Override
    public <T> T inTransaction(Function<EntityManager, T> work) {
        try {
            return inTransactionWithin(null, work::apply);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("transaction failed: " + e.getMessage(), e);
        }
    }

    @Override
    public <T> T inTransactionWithin(Duration timeout, Work<T> work) throws Exception {
        lastTimeout = timeout;
        journal.add("begin");
        try {
            T result = work.run(entityManager);
            Exception failure = commitFailure;
            if (failure != null) {
                journal.add("commit failed");
                throw failure;
            }
            journal.add("commit");
            return result;
        } catch (Exception | Error e) {
            journal.add("rollback");
            throw e;
        }
    }
}
