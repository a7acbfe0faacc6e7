package io.jetstreambridge.testing.jta;

import jakarta.transaction.RollbackException;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.SystemException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.UserTransaction;
import org.jboss.weld.transaction.spi.TransactionServices;

/**
 * Weld's view of Narayana. With it (and Weld's JTA module on the class path) Weld provides the built-in
 * {@code UserTransaction} bean and delivers transactional observer methods
 * ({@code @Observes(during = TransactionPhase.AFTER_SUCCESS)} and the other phases) as a server does.
 *
 * <p>Observer synchronizations are registered as ordinary (not interposed) synchronizations, so that a
 * {@code BEFORE_COMPLETION} observer runs before JPA flushes and what it persists is written in the same transaction.
 */
public final class NarayanaTransactionServices implements TransactionServices {

    @Override
    public void registerSynchronization(Synchronization synchronization) {
        TransactionManager tm = Narayana.transactionManager();
        try {
            Transaction transaction = tm.getTransaction();
            if (transaction == null) {
                throw new IllegalStateException("no transaction to register a synchronization with");
            }
            transaction.registerSynchronization(synchronization);
        } catch (RollbackException | SystemException e) {
            throw new IllegalStateException("could not register a synchronization with the transaction", e);
        }
    }

    @Override
    public boolean isTransactionActive() {
        try {
            int status = Narayana.transactionManager().getStatus();
            return status == Status.STATUS_ACTIVE || status == Status.STATUS_MARKED_ROLLBACK
                    || status == Status.STATUS_PREPARING || status == Status.STATUS_PREPARED
                    || status == Status.STATUS_COMMITTING || status == Status.STATUS_ROLLING_BACK;
        } catch (SystemException e) {
            throw new IllegalStateException("the transaction manager could not tell the transaction status", e);
        }
    }

    @Override
    public UserTransaction getUserTransaction() {
        return Narayana.userTransaction();
    }

    @Override
    public void cleanup() {
        // Narayana is the JVM's, not the container's
    }
}
