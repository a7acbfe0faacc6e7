package io.jetstreambridge.core.transaction;

import jakarta.persistence.EntityManager;
import jakarta.transaction.NotSupportedException;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.UserTransaction;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Transactions of their own through the container's {@link UserTransaction}, for the bridge's background work
 * (relay, clean-up). It only ever ends a transaction it began itself.
 */
public final class JtaTransactions implements Transactions {

    private final UserTransaction transaction;
    private final Supplier<EntityManager> entityManager;

    public JtaTransactions(UserTransaction transaction, Supplier<EntityManager> entityManager) {
        this.transaction = Objects.requireNonNull(transaction, "transaction");
        this.entityManager = Objects.requireNonNull(entityManager, "entityManager");
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
