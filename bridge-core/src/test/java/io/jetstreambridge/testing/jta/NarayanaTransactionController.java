package io.jetstreambridge.testing.jta;

import jakarta.transaction.TransactionManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.eclipse.persistence.transaction.JTA11TransactionController;

/**
 * EclipseLink's external transaction controller for Narayana, without JNDI: it takes the transaction manager and the
 * {@link TransactionSynchronizationRegistry} from {@link Narayana}. Being a JTA 1.1 controller, EclipseLink registers
 * its flush-and-merge synchronization as an <em>interposed</em> one, as on WildFly, so that ordinary
 * synchronizations (CDI {@code BEFORE_COMPLETION} observers, for instance) run first and what they persist is still
 * flushed.
 */
public class NarayanaTransactionController extends JTA11TransactionController {

    public NarayanaTransactionController() {
        super(Narayana.transactionSynchronizationRegistry(), Narayana.transactionManager());
    }

    @Override
    protected TransactionManager acquireTransactionManager() {
        return Narayana.transactionManager();
    }

    @Override
    protected TransactionSynchronizationRegistry acquireTransactionSynchronizationRegistry() {
        return Narayana.transactionSynchronizationRegistry();
    }
}
