package io.jetstreambridge.testing.jta;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.SynchronizationType;
import jakarta.persistence.TransactionRequiredException;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A transaction-scoped, container-managed {@link EntityManager}, as a server injects for
 * {@code @PersistenceContext}: one proxy, safe to share between threads, that delegates to the EntityManager of the
 * calling thread's JTA transaction. The first call within a transaction creates that EntityManager (joined to the
 * transaction) and keeps it in the {@link TransactionSynchronizationRegistry}; it is closed when the transaction
 * completes, so entities loaded in it become detached.
 *
 * <p>Outside a transaction, as the JPA specification asks of a container: {@code persist}, {@code merge},
 * {@code remove}, {@code refresh}, {@code lock}, {@code flush} and {@code joinTransaction} throw
 * {@link TransactionRequiredException}; reads work on a short-lived EntityManager (closed after the call, or after
 * the query it created has run), so what they return is detached. {@code close()} and {@code getTransaction()} throw
 * {@link IllegalStateException}, as on a container-managed EntityManager.
 */
final class TransactionScopedEntityManager implements InvocationHandler {

    private static final Set<String> NEEDS_TRANSACTION =
            Set.of("persist", "merge", "remove", "refresh", "lock", "flush", "joinTransaction");
    private static final Set<String> CREATES_QUERY = Set.of("createQuery", "createNamedQuery", "createNativeQuery",
            "createStoredProcedureQuery", "createNamedStoredProcedureQuery");
    private static final Set<String> RUNS_QUERY =
            Set.of("getResultList", "getSingleResult", "getResultStream", "executeUpdate", "execute");

    private final EntityManagerFactory factory;
    private final TransactionManager tm;
    private final TransactionSynchronizationRegistry tsr;
    private final String unitName;
    /** The key of this unit's EntityManager among the transaction's resources. */
    private final Object resourceKey = new Object();
    private final Set<EntityManager> outsideTransaction = ConcurrentHashMap.newKeySet();
    private final EntityManager proxy;

    TransactionScopedEntityManager(EntityManagerFactory factory, TransactionManager tm,
                                   TransactionSynchronizationRegistry tsr, String unitName) {
        this.factory = factory;
        this.tm = tm;
        this.tsr = tsr;
        this.unitName = unitName;
        this.proxy = (EntityManager) Proxy.newProxyInstance(EntityManager.class.getClassLoader(),
                new Class<?>[] {EntityManager.class}, this);
    }

    EntityManager proxy() {
        return proxy;
    }

    /** Closes what reads outside transactions left open (queries never run). */
    void closeLeftovers() {
        for (EntityManager em : outsideTransaction) {
            if (em.isOpen()) {
                em.close();
            }
        }
        outsideTransaction.clear();
    }

    @Override
    public Object invoke(Object self, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        switch (name) {
            case "equals":
                return self == args[0];
            case "hashCode":
                return System.identityHashCode(self);
            case "toString":
                return "transaction-scoped EntityManager of unit " + unitName;
            case "close":
                throw new IllegalStateException("close() on a container-managed EntityManager");
            case "getTransaction":
                throw new IllegalStateException(
                        "getTransaction() on a JTA EntityManager: use UserTransaction or @Transactional");
            case "isOpen":
                return factory.isOpen();
            case "getEntityManagerFactory":
                return factory;
            case "getCriteriaBuilder":
                return factory.getCriteriaBuilder();
            case "getMetamodel":
                return factory.getMetamodel();
            case "isJoinedToTransaction":
                return Narayana.hasTransaction(tm);
            default:
                break;
        }
        if ("unwrap".equals(name) && args[0] == EntityManager.class) {
            return self;
        }
        EntityManager current = transactionEntityManager();
        if (current != null) {
            return call(current, method, args);
        }
        if (NEEDS_TRANSACTION.contains(name)) {
            throw new TransactionRequiredException(name + "() needs a JTA transaction (unit " + unitName + ")");
        }
        if ("contains".equals(name)) {
            return false;
        }
        if ("clear".equals(name) || "detach".equals(name)) {
            return null; // nothing is managed outside a transaction
        }
        EntityManager shortLived = factory.createEntityManager();
        boolean closeNow = true;
        try {
            Object result = call(shortLived, method, args);
            if (CREATES_QUERY.contains(name)) {
                closeNow = false;
                outsideTransaction.add(shortLived);
                return closingQuery(result, method.getReturnType(), shortLived);
            }
            return result;
        } finally {
            if (closeNow) {
                shortLived.close();
            }
        }
    }

    /** The calling thread's transaction's EntityManager, created and joined on first use; null without one. */
    private EntityManager transactionEntityManager() throws Exception {
        int status = tm.getStatus();
        if (status == Status.STATUS_NO_TRANSACTION) {
            return null;
        }
        EntityManager em = (EntityManager) tsr.getResource(resourceKey);
        if (em != null) {
            return em;
        }
        if (status != Status.STATUS_ACTIVE && status != Status.STATUS_MARKED_ROLLBACK) {
            return null; // completing: too late to join
        }
        EntityManager created = factory.createEntityManager(SynchronizationType.SYNCHRONIZED);
        try {
            created.joinTransaction();
            tsr.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int completionStatus) {
                    if (created.isOpen()) {
                        created.close();
                    }
                }
            });
            tsr.putResource(resourceKey, created);
            return created;
        } catch (RuntimeException e) {
            created.close();
            throw e;
        }
    }

    private Object closingQuery(Object query, Class<?> type, EntityManager owner) {
        if (query == null || !type.isInterface()) {
            return query;
        }
        InvocationHandler handler = new InvocationHandler() {
            @Override
            public Object invoke(Object self, Method method, Object[] args) throws Throwable {
                switch (method.getName()) {
                    case "equals":
                        return self == args[0];
                    case "hashCode":
                        return System.identityHashCode(self);
                    default:
                        break;
                }
                try {
                    Object result = call(query, method, args);
                    return result == query ? self : result; // fluent setters return the query
                } finally {
                    if (RUNS_QUERY.contains(method.getName())) {
                        outsideTransaction.remove(owner);
                        owner.close();
                    }
                }
            }
        };
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
