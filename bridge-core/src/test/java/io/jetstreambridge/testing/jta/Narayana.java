package io.jetstreambridge.testing.jta;


import com.arjuna.ats.arjuna.common.CoreEnvironmentBeanException;
import com.arjuna.ats.arjuna.common.ObjectStoreEnvironmentBean;
import com.arjuna.ats.arjuna.common.arjPropertyManager;
import com.arjuna.ats.jta.common.jtaPropertyManager;
import com.arjuna.common.internal.util.propertyservice.BeanPopulator;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.UserTransaction;

import java.nio.file.Path;

/**
 * The JVM's one Narayana transaction manager, configured for tests before its first use: the object store lives under
 * {@code target/narayana} of the working directory (the module being tested), or under the directory named by the
 * system property {@value #OBJECT_STORE_PROPERTY}.
 *
 * <p>Narayana is a process-wide singleton: every {@link JpaHarness}, {@link TestDatabase#jtaDataSource()} and
 * {@code JtaContainer} of the JVM shares it, exactly as the applications of one server share its transaction manager.
 * No recovery manager runs, and the transaction status manager (which would listen on a TCP port for one) is off.
 * The default transaction timeout (60 s, Narayana's) applies.
 */
public final class Narayana {

    /** System property naming the object store directory; default {@code target/narayana}. */
    public static final String OBJECT_STORE_PROPERTY = "jsb.test.narayana.dir";

    private static volatile boolean configured;

    private Narayana() {
    }

    /** Configures Narayana once; harmless to call again. Every accessor here calls it. */
    public static void configure() {
        if (configured) {
            return;
        }
        synchronized (Narayana.class) {
            if (configured) {
                return;
            }
            String dir = Path.of(System.getProperty(OBJECT_STORE_PROPERTY, "target/narayana"))
                    .toAbsolutePath().normalize().toString();
            // the default store holds the transaction log; the two named stores are created on demand
            BeanPopulator.getDefaultInstance(ObjectStoreEnvironmentBean.class).setObjectStoreDir(dir);
            BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, "communicationStore").setObjectStoreDir(dir);
            BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, "stateStore").setObjectStoreDir(dir);
            try {
                // the default identifier "1" makes Narayana warn at every start
                arjPropertyManager.getCoreEnvironmentBean().setNodeIdentifier("jsb-test-harness");
            } catch (CoreEnvironmentBeanException e) {
                throw new IllegalStateException("Narayana refused the node identifier", e);
            }
            // no recovery manager will ever ask: do not open the status manager's TCP port
            arjPropertyManager.getCoordinatorEnvironmentBean().setTransactionStatusManagerEnable(false);
            configured = true;
        }
    }

    /** Narayana's {@link TransactionManager} (thread-bound transactions). */
    public static TransactionManager transactionManager() {
        configure();
        return jtaPropertyManager.getJTAEnvironmentBean().getTransactionManager();
    }

    /** Narayana's {@link UserTransaction}: begins and ends the calling thread's transaction. */
    public static UserTransaction userTransaction() {
        configure();
        return jtaPropertyManager.getJTAEnvironmentBean().getUserTransaction();
    }

    /** Narayana's {@link TransactionSynchronizationRegistry}. */
    public static TransactionSynchronizationRegistry transactionSynchronizationRegistry() {
        configure();
        return jtaPropertyManager.getJTAEnvironmentBean().getTransactionSynchronizationRegistry();
    }

    /**
     * Whether the calling thread has a transaction that work can still join: active, or marked for rollback only.
     */
    static boolean hasTransaction(TransactionManager tm) {
        try {
            int status = tm.getStatus();
            return status == Status.STATUS_ACTIVE || status == Status.STATUS_MARKED_ROLLBACK;
        } catch (SystemException e) {
            throw new IllegalStateException("the transaction manager could not tell the transaction status", e);
        }
    }

    /**
     * Rolls back the calling thread's transaction if it still has one, so that a failed test does not leave its
     * transaction on a pooled thread. Returns whether there was one.
     */
    public static boolean rollbackLeftover() {
        TransactionManager tm = transactionManager();
        try {
            if (tm.getStatus() == Status.STATUS_NO_TRANSACTION) {
                return false;
            }
            tm.rollback();
            return true;
        } catch (SystemException | IllegalStateException e) {
            try {
                tm.suspend();
            } catch (SystemException ignored) {
                // nothing more to do
            }
            return true;
        }
    }
}
