package io.jetstreambridge.core.transaction;

import io.jetstreambridge.core.log.BridgeLog;
import jakarta.persistence.EntityManager;
import jakarta.transaction.NotSupportedException;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.UserTransaction;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Transactions of their own through the container's {@link UserTransaction}, for the bridge's background work
 * (relay, clean-up) and the consumer's units of work ({@link #inTransactionWithin}).
 */
public final class JtaTransactions implements Transactions {

    private final UserTransaction transaction;
    private final Supplier<EntityManager> entityManager;

    public JtaTransactions(UserTransaction transaction, Supplier<EntityManager> entityManager) {
        this.transaction = Objects.requireNonNull(transaction, "transaction");
        this.entityManager = Objects.requireNonNull(entityManager, "entityManager");
    }

    /** For work that uses no entity manager (the consumer with the inbox off): the work is handed null. */
    public static JtaTransactions withoutEntityManager(UserTransaction transaction) {
        return new JtaTransactions(transaction, () -> null);
    }

    /**
     * @throws IllegalStateException when the calling thread is already in a transaction: JTA has no nested
     *                               transactions, and beginning one there would fail and end the caller's. The
     *                               caller's transaction is left exactly as it was.
     */
    @Override
    public <T> T inTransaction(Function<EntityManager, T> work) {
        beginOwn();
        // from here on the transaction is the bridge's own: it commits it, or rolls it back on any failure
        try {
            T result = work.apply(entityManager.get());
            transaction.commit();
            return result;
        } catch (RuntimeException e) {
            rollbackQuietly();
            throw e;
        } catch (Exception e) {
            rollbackQuietly();
            throw new IllegalStateException("transaction failed: " + e.getMessage(), e);
        }
    }

    /**
     * Sets the transaction timeout, begins, runs the work and commits; on any failure rolls back (JSB4007 when
     * that fails too) and rethrows the failure unchanged, so a {@code RollbackException} of a timed-out commit
     * reaches the caller's classification as such. Unlike {@link #inTransaction} it does not check for a
     * transaction of the caller: it runs on the consumer's own worker threads, where a transaction still
     * associated after an earlier failed rollback makes {@code begin()} fail, and the rollback that follows frees
     * the thread for the next message. The timeout is reset to the container's default on the way out.
     */
    @Override
    public <T> T inTransactionWithin(Duration timeout, Work<T> work) throws Exception {
        try {
            transaction.setTransactionTimeout(timeoutSeconds(timeout));
            transaction.begin();
            T result = work.run(entityManager.get());
            transaction.commit();
            return result;
        } catch (Exception | Error e) {
            rollbackIfActive();
            throw e;
        } finally {
            transaction.setTransactionTimeout(0);
        }
    }

    /** JTA counts whole seconds, and 0 means the container's default: at least 1. */
    static int timeoutSeconds(Duration timeout) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
    }

    private void rollbackIfActive() {
        try {
            if (transaction.getStatus() != Status.STATUS_NO_TRANSACTION) {
                transaction.rollback();
            }
        } catch (SystemException | IllegalStateException | SecurityException e) {
            BridgeLog.rollbackFailed(e);
        }
    }

    private void beginOwn() {
        try {
            int status = transaction.getStatus();
            if (status != Status.STATUS_NO_TRANSACTION) {
                throw new IllegalStateException("the bridge runs this work in a transaction of its own and does "
                        + "not begin a transaction inside the caller's (the calling thread's transaction has JTA "
                        + "status " + status + ")");
            }
            transaction.begin();
        } catch (NotSupportedException | SystemException e) {
            throw new IllegalStateException("cannot begin a transaction: " + e.getMessage(), e);
        }
    }

    private void rollbackQuietly() {
        try {
            if (transaction.getStatus() != Status.STATUS_NO_TRANSACTION) {
                transaction.rollback();
            }
        } catch (Exception ignored) {
            // the original failure is what the caller needs to see
        }
    }
}
