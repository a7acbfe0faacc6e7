package io.jetstreambridge.testing.cdi;

import io.jetstreambridge.testing.jta.HarnessItem;
import io.jetstreambridge.testing.jta.HarnessItemObserver;
import io.jetstreambridge.testing.jta.HarnessItemService;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.jta.Narayana;
import io.jetstreambridge.testing.jta.TestDatabase;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.TransactionRequiredException;
import jakarta.transaction.RollbackException;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.UserTransaction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Proves the JTA harness against one database: the EntityManager joins the JTA transaction, rollback discards rows,
 * commit makes them visible to other connections, concurrent transactions stay apart, constraint violations roll back
 * cleanly, and the CDI container wires it all as a server would. One subclass per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractJtaHarnessTest {

    private JpaHarness jpa;
    private JtaContainer cdi;
    private HarnessItemService service;
    private HarnessItemObserver observer;

    /** A fresh database for this class. */
    protected abstract TestDatabase newDatabase();

    /** Whether a plain reader blocks on rows another transaction inserted (Derby locks; MVCC databases do not). */
    protected boolean readersBlockOnUncommittedRows() {
        return false;
    }

    @BeforeAll
    void start() {
        long begin = System.nanoTime();
        jpa = JpaHarness.builder()
                .database(newDatabase())
                .entities(HarnessItem.class)
                .ddlResource(HarnessItem.DDL)
                .start();
        long jpaStarted = System.nanoTime();
        cdi = JtaContainer.builder()
                .jpa(jpa)
                .beanClasses(HarnessItemService.class, HarnessItemObserver.class)
                .config("jsb.test.harness", "on")
                .start();
        long cdiStarted = System.nanoTime();
        service = cdi.select(HarnessItemService.class);
        observer = cdi.select(HarnessItemObserver.class);
        System.out.printf("[jta-harness] %s: JpaHarness started in %d ms, JtaContainer in %d ms%n",
                jpa.database().kind(), TimeUnit.NANOSECONDS.toMillis(jpaStarted - begin),
                TimeUnit.NANOSECONDS.toMillis(cdiStarted - jpaStarted));
    }

    @AfterAll
    void stop() {
        try {
            if (cdi != null) {
                cdi.close();
            }
        } finally {
            if (jpa != null) {
                jpa.close();
            }
        }
    }

    @BeforeEach
    void clean() {
        jpa.database().truncateAllTables();
        observer.reset();
    }

    @AfterEach
    void noTransactionLeftOpen() {
        assertThat(Narayana.rollbackLeftover()).as("the test left a transaction open on its thread").isFalse();
    }

    // ------------------------------------------------------------------------------------------- plain JTA + JPA

    @Test
    void rollbackDiscardsTheRow() throws Exception {
        UserTransaction ut = jpa.userTransaction();
        EntityManager em = jpa.entityManager();

        ut.begin();
        HarnessItem item = new HarnessItem("rolled-back", "never seen");
        em.persist(item);
        em.flush();
        assertThat(item.getId()).as("identity assigned by the insert").isNotNull();
        assertThat(em.find(HarnessItem.class, item.getId())).isSameAs(item);
        assertThat(em.createQuery("select count(i) from HarnessItem i", Long.class).getSingleResult())
                .as("the transaction sees its own insert").isEqualTo(1L);
        if (!readersBlockOnUncommittedRows()) {
            assertThat(countOverPlainJdbc()).as("another connection does not see an uncommitted row").isZero();
        }
        ut.rollback();

        assertThat(countOverPlainJdbc()).isZero();
        assertThat(em.find(HarnessItem.class, item.getId())).as("read outside any transaction").isNull();
    }

    @Test
    void commitMakesTheRowVisibleToOtherConnections() throws Exception {
        UserTransaction ut = jpa.userTransaction();
        EntityManager em = jpa.entityManager();

        ut.begin();
        HarnessItem item = new HarnessItem("committed", "first label");
        em.persist(item);
        ut.commit();

        try (Connection connection = jpa.database().openConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select id, code, label from harness_item")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getLong("id")).isEqualTo(item.getId());
            assertThat(rows.getString("code")).isEqualTo("committed");
            assertThat(rows.getString("label")).isEqualTo("first label");
            assertThat(rows.next()).isFalse();
        }

        // the transaction's EntityManager ended with it: the next transaction loads a new instance, and updates it
        ut.begin();
        HarnessItem reloaded = em.find(HarnessItem.class, item.getId());
        assertThat(reloaded).isNotSameAs(item);
        reloaded.setLabel("second label");
        ut.commit();
        assertThat(jpa.database().queryForLong("select count(*) from harness_item where label = ?", "second label"))
                .isEqualTo(1L);
    }

    @Test
    void twoThreadsUseTheInjectedEntityManagerEachInItsOwnTransaction() throws Exception {
        CyclicBarrier bothPersisted = new CyclicBarrier(2);
        CyclicBarrier bothCounted = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Seen> committer = threads.submit(worker("thread-a", true, bothPersisted, bothCounted));
            Future<Seen> rollbacker = threads.submit(worker("thread-b", false, bothPersisted, bothCounted));
            Seen a = committer.get(30, TimeUnit.SECONDS);
            Seen b = rollbacker.get(30, TimeUnit.SECONDS);

            assertThat(a.delegate()).as("each transaction has its own EntityManager").isNotSameAs(b.delegate());
            assertThat(a.managesOwnItem()).isTrue();
            assertThat(b.managesOwnItem()).isTrue();
            assertThat(a.visibleInTransaction()).as("thread A sees only its own uncommitted row").isEqualTo(1L);
            assertThat(b.visibleInTransaction()).as("thread B sees only its own uncommitted row").isEqualTo(1L);
            assertThat(a.key()).isNotEqualTo(b.key());
        } finally {
            threads.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(codesOverPlainJdbc()).containsExactly("thread-a"));
    }

    private record Seen(Object delegate, Object key, long visibleInTransaction, boolean managesOwnItem) {
    }

    private Callable<Seen> worker(String code, boolean commit, CyclicBarrier persisted, CyclicBarrier counted) {
        return () -> {
            UserTransaction ut = service.userTransaction();
            EntityManager em = service.entityManager();
            ut.begin();
            try {
                HarnessItem item = new HarnessItem(code, "from " + Thread.currentThread().getName());
                em.persist(item);
                em.flush();
                Object delegate = em.getDelegate();
                Object key = service.registry().getTransactionKey();
                persisted.await(20, TimeUnit.SECONDS); // both transactions are open, each with an inserted row
                // Derby's reader would wait for the other transaction's row lock: count only where readers don't
                long visible = readersBlockOnUncommittedRows() ? 1L : service.countVisible();
                boolean managed = em.contains(item);
                counted.await(20, TimeUnit.SECONDS); // neither ends before both have looked
                if (commit) {
                    ut.commit();
                } else {
                    ut.rollback();
                }
                return new Seen(delegate, key, visible, managed);
            } finally {
                Narayana.rollbackLeftover();
            }
        };
    }

    @Test
    void uniqueViolationOnFlushThrowsAndTheTransactionRollsBackCleanly() throws Exception {
        jpa.runInTransaction(em -> em.persist(new HarnessItem("dup", "first")));
        UserTransaction ut = jpa.userTransaction();
        TransactionManager tm = jpa.transactionManager();
        EntityManager em = jpa.entityManager();

        ut.begin();
        em.persist(new HarnessItem("dup", "second"));
        assertThatThrownBy(em::flush)
                .isInstanceOf(PersistenceException.class)
                .satisfies(e -> assertThat(sqlState(e)).as("SQLState of %s", e).isEqualTo("23505"));
        assertThat(tm.getStatus()).as("the failed flush marked the transaction rollback-only")
                .isEqualTo(Status.STATUS_MARKED_ROLLBACK);
        ut.rollback();
        assertThat(tm.getStatus()).isEqualTo(Status.STATUS_NO_TRANSACTION);

        assertThat(codesOverPlainJdbc()).containsExactly("dup");
        assertThat(jpa.database().queryForLong("select count(*) from harness_item where label = ?", "first"))
                .isEqualTo(1L);
        // the pool's connection came back usable
        jpa.runInTransaction(next -> next.persist(new HarnessItem("after-dup", "fine")));
        assertThat(codesOverPlainJdbc()).containsExactlyInAnyOrder("dup", "after-dup");
    }

    @Test
    void uniqueViolationAtCommitRollsBackAndThrows() throws Exception {
        jpa.runInTransaction(em -> em.persist(new HarnessItem("dup", "first")));
        UserTransaction ut = jpa.userTransaction();

        ut.begin();
        jpa.entityManager().persist(new HarnessItem("fresh", "would be fine"));
        jpa.entityManager().persist(new HarnessItem("dup", "second"));
        assertThatThrownBy(ut::commit).isInstanceOf(RollbackException.class);

        assertThat(jpa.transactionManager().getStatus()).isEqualTo(Status.STATUS_NO_TRANSACTION);
        assertThat(codesOverPlainJdbc()).containsExactly("dup");
    }

    @Test
    void writesOutsideATransactionAreRefused() {
        EntityManager em = jpa.entityManager();
        assertThatThrownBy(() -> em.persist(new HarnessItem("no-tx", "x")))
                .isInstanceOf(TransactionRequiredException.class);
        assertThatThrownBy(em::flush).isInstanceOf(TransactionRequiredException.class);
        assertThatThrownBy(em::close).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(em::getTransaction).isInstanceOf(IllegalStateException.class);
        assertThat(countOverPlainJdbc()).isZero();
    }

    @Test
    void readsOutsideATransactionReturnDetachedEntities() {
        Long id = jpa.inTransaction(em -> {
            HarnessItem item = new HarnessItem("read-me", "label");
            em.persist(item);
            em.flush();
            return item.getId();
        });
        EntityManager em = jpa.entityManager();

        HarnessItem found = em.find(HarnessItem.class, id);
        assertThat(found.getCode()).isEqualTo("read-me");
        assertThat(em.contains(found)).isFalse();
        List<HarnessItem> queried = em.createQuery("select i from HarnessItem i where i.code = :code", HarnessItem.class)
                .setParameter("code", "read-me")
                .getResultList();
        assertThat(queried).extracting(HarnessItem::getId).containsExactly(id);
    }

    // ------------------------------------------------------------------------------------------- CDI wiring

    @Test
    void theContainerInjectsNarayanaAndTheHarnessEntityManager() throws Exception {
        assertThat(service.entityManager()).isSameAs(jpa.entityManager());
        assertThat(service.persistenceContext()).isSameAs(jpa.entityManager());

        UserTransaction ut = service.userTransaction();
        ut.begin();
        try {
            Object key = jpa.transactionSynchronizationRegistry().getTransactionKey();
            assertThat(key).isNotNull();
            assertThat(service.registry().getTransactionKey()).isEqualTo(key);
            assertThat(service.resourceRegistry().getTransactionKey()).isEqualTo(key);
            assertThat(service.transactionManager().getTransaction())
                    .isEqualTo(jpa.transactionManager().getTransaction());
            assertThat(service.resourceUserTransaction().getStatus()).isEqualTo(Status.STATUS_ACTIVE);
        } finally {
            ut.rollback();
        }
    }

    @Test
    void transactionalMethodCommitsAndNotifiesAfterSuccessObservers() {
        HarnessItem item = service.create("cdi-commit", "via @Transactional");

        assertThat(item.getId()).isNotNull();
        assertThat(codesOverPlainJdbc()).containsExactly("cdi-commit");
        assertThat(observer.committed()).containsExactly("cdi-commit");
        assertThat(observer.failed()).isEmpty();
    }

    @Test
    void transactionalMethodRollsBackOnRuntimeException() {
        assertThatThrownBy(() -> service.createThenFail("cdi-fail")).isInstanceOf(IllegalStateException.class);

        assertThat(countOverPlainJdbc()).isZero();
        assertThat(observer.failed()).containsExactly("cdi-fail");
        assertThat(observer.committed()).isEmpty();
    }

    @Test
    void transactionalMethodJoinsTheCallersTransaction() throws Exception {
        UserTransaction ut = service.userTransaction();
        ut.begin();
        service.create("joined", "rolled back by the caller");
        assertThat(service.countVisible()).isEqualTo(1L);
        ut.rollback();

        assertThat(countOverPlainJdbc()).isZero();
        assertThat(observer.failed()).containsExactly("joined");
        assertThat(observer.committed()).isEmpty();
    }

    // ------------------------------------------------------------------------------------------- helpers

    private long countOverPlainJdbc() {
        return jpa.database().countRows("harness_item");
    }

    private List<String> codesOverPlainJdbc() {
        List<String> codes = new ArrayList<>();
        try (Connection connection = jpa.database().openConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select code from harness_item order by id")) {
            while (rows.next()) {
                codes.add(rows.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return codes;
    }

    private static String sqlState(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return sql.getSQLState();
            }
        }
        return null;
    }
}
