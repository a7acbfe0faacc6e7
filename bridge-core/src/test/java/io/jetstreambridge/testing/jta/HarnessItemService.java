package io.jetstreambridge.testing.jta;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import jakarta.transaction.UserTransaction;

/** A CDI bean written as application code in a server would be; the harness tests drive it. */
@ApplicationScoped
public class HarnessItemService {

    /** Fired, inside the transaction, for every item created. */
    public record Created(String code) {
    }

    @Inject
    EntityManager em;

    @PersistenceContext(unitName = JpaHarness.DEFAULT_UNIT_NAME)
    EntityManager persistenceContext;

    @Inject
    UserTransaction userTransaction;

    @Inject
    TransactionManager transactionManager;

    @Inject
    TransactionSynchronizationRegistry registry;

    @Resource
    TransactionSynchronizationRegistry resourceRegistry;

    @Resource(lookup = "java:comp/UserTransaction")
    UserTransaction resourceUserTransaction;

    @Inject
    Event<Created> created;

    /** Persists an item in a transaction of its own or the caller's (REQUIRED). */
    @Transactional
    public HarnessItem create(String code, String label) {
        HarnessItem item = new HarnessItem(code, label);
        persistenceContext.persist(item);
        created.fire(new Created(code));
        return item;
    }

    /** Persists an item, then fails: the interceptor rolls the transaction back. */
    @Transactional
    public void createThenFail(String code) {
        em.persist(new HarnessItem(code, "doomed"));
        created.fire(new Created(code));
        throw new IllegalStateException("failing after persisting " + code);
    }

    /** Counts the items this transaction sees. */
    public long countVisible() {
        return em.createQuery("select count(i) from HarnessItem i", Long.class).getSingleResult();
    }

    public EntityManager entityManager() {
        return em;
    }

    public EntityManager persistenceContext() {
        return persistenceContext;
    }

    public UserTransaction userTransaction() {
        return userTransaction;
    }

    public TransactionManager transactionManager() {
        return transactionManager;
    }

    public TransactionSynchronizationRegistry registry() {
        return registry;
    }

    public TransactionSynchronizationRegistry resourceRegistry() {
        return resourceRegistry;
    }

    public UserTransaction resourceUserTransaction() {
        return resourceUserTransaction;
    }
}
