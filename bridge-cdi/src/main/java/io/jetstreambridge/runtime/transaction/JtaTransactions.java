package io.jetstreambridge.runtime.transaction;

import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.UserTransaction;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Transactions of their own through the container's {@link UserTransaction}, for the bridge's background work
 * (relay, clean-up).
 */
public final class JtaTransactions implements Transactions {

    private final UserTransaction transaction;
    private final Supplier<EntityManager> entityManager;

    public JtaTransactions(UserTransaction transaction, Supplier<EntityManager> entityManager) {
        this.transaction = Objects.requireNonNull(transaction, "transaction");
        this.entityManager = Objects.requireNonNull(entityManager, "entityManager");
    }

    @Override
    public <T> T inTransaction(Function<EntityManager, T> work) {
        try {
            transaction.begin();
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
