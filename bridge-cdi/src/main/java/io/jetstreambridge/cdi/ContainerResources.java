package io.jetstreambridge.cdi;

import io.jetstreambridge.core.log.BridgeLog;
import jakarta.enterprise.inject.Instance;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.util.Optional;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.naming.NoInitialContextException;

/**
 * The container's resources the CDI adapters find by JNDI name, with one look-up rule: without any naming service
 * (tests, plain CDI SE) a resource is simply absent; a naming service that fails the look-up is a server whose
 * resource is missing or unreachable from here, and the caller either falls back, saying so ({@code JSB9010}), or
 * cannot work without it and fails naming the resource.
 */
public final class ContainerResources {

    static final String DEFAULT_EXECUTOR = "java:comp/DefaultManagedExecutorService";
    static final String DEFAULT_SCHEDULER = "java:comp/DefaultManagedScheduledExecutorService";
    static final String DEFAULT_THREAD_FACTORY = "java:comp/DefaultManagedThreadFactory";
    static final String TRANSACTION_SYNCHRONIZATION_REGISTRY = "java:comp/TransactionSynchronizationRegistry";

    private ContainerResources() {
    }

    /**
     * The container's object under {@code name}, or empty; a failed look-up inside a server is logged
     * ({@code JSB9010}) with the {@code fallback} the caller uses instead.
     */
    static <T> Optional<T> orFallback(String name, Class<T> type, String fallback) {
        try {
            return lookup(name, type);
        } catch (NamingException | RuntimeException e) {
            BridgeLog.managedLookupFailed(name, fallback, e);
            return Optional.empty();
        }
    }

    /**
     * The container's {@link TransactionSynchronizationRegistry}: the CDI bean where the container offers one, else
     * the one under its standard JNDI name.
     *
     * @throws IllegalStateException there is none: the outbox cannot work without it
     */
    public static TransactionSynchronizationRegistry transactionSynchronizationRegistry(
            Instance<TransactionSynchronizationRegistry> beans) {
        if (beans.isResolvable()) {
            return beans.get();
        }
        NamingException failure = null;
        try {
            Optional<TransactionSynchronizationRegistry> found =
                    lookup(TRANSACTION_SYNCHRONIZATION_REGISTRY, TransactionSynchronizationRegistry.class);
            if (found.isPresent()) {
                return found.get();
            }
        } catch (NamingException e) {
            failure = e;
        }
        throw new IllegalStateException("the outbox needs the container's TransactionSynchronizationRegistry ("
                + TRANSACTION_SYNCHRONIZATION_REGISTRY + ")", failure);
    }

    /** The one look-up rule: empty without a naming service, the naming service's failure otherwise. */
    private static <T> Optional<T> lookup(String name, Class<T> type) throws NamingException {
        try {
            return Optional.of(type.cast(new InitialContext().lookup(name)));
        } catch (NoInitialContextException e) {
            return Optional.empty();
        }
    }
}
