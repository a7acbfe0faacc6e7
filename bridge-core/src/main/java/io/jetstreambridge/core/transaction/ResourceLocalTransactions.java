package io.jetstreambridge.core.transaction;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;

import java.util.Objects;
import java.util.function.Function;

/**
 * One RESOURCE_LOCAL transaction per call, on a fresh entity manager of the factory: for work outside a container,
 * where no JTA runs (the admin command line). A rollback that fails too is kept as suppressed on the failure.
 */
public record ResourceLocalTransactions(EntityManagerFactory factory) implements Transactions {

    public ResourceLocalTransactions {
        Objects.requireNonNull(factory, "factory");
    }

    @Override
    public <T> T inTransaction(Function<EntityManager, T> work) {
        EntityManager em = factory.createEntityManager();
        EntityTransaction transaction = em.getTransaction();
        try {
            transaction.begin();
            T result = work.apply(em);
            transaction.commit();
            return result;
        } catch (RuntimeException e) {
            if (transaction.isActive()) {
                try {
                    transaction.rollback();
                } catch (RuntimeException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
            }
            throw e;
        } finally {
            em.close();
        }
    }
}
