package io.jetstreambridge.testing.jta;


import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.SharedCacheMode;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.UserTransaction;
import org.eclipse.persistence.config.PersistenceUnitProperties;
import org.eclipse.persistence.jpa.JpaHelper;
import org.eclipse.persistence.jpa.PersistenceProvider;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * JPA as a Jakarta EE server runs it, without the server: EclipseLink (or, with {@link Builder#provider}, Hibernate
 * ORM as on WildFly) in JTA mode over a {@link TestDatabase}'s JTA DataSource, with Narayana as the transaction
 * manager.
 *
 * <pre>{@code
 * static JpaHarness jpa;
 *
 * @BeforeAll
 * static void start() {
 *     jpa = JpaHarness.builder()
 *             .database(TestDatabase.postgres())          // or TestDatabase.h2(), TestDatabase.derby()
 *             .entities(InboxEvent.class, OutboxEvent.class)
 *             .ddlResource("db/inbox-postgresql.sql")    // the project's own DDL; EclipseLink generates none
 *             .start();
 * }
 *
 * @AfterAll
 * static void stop() {
 *     jpa.close();                                       // closes the factory and drops the database
 * }
 *
 * @Test
 * void commits() throws Exception {
 *     UserTransaction ut = jpa.userTransaction();
 *     EntityManager em = jpa.entityManager();            // transaction-scoped, shareable between threads
 *     ut.begin();
 *     em.persist(new InboxEvent(...));
 *     ut.commit();
 *     assertThat(jpa.database().countRows("jsb_inbox_events")).isEqualTo(1);
 * }
 * }</pre>
 *
 * <p>What it sets up, and why:
 * <ul>
 *   <li>a programmatic persistence unit (no {@code persistence.xml}, nothing scanned): transaction type JTA, exactly
 *       the {@linkplain Builder#entities entity classes} given, the database's {@link TestDatabase#jtaDataSource()} as
 *       JTA data source (also passed as {@link PersistenceUnitProperties#JTA_DATASOURCE}), no schema generation;</li>
 *   <li>{@code eclipselink.target-server} = {@link NarayanaServerPlatform}, whose transaction controller hands
 *       EclipseLink Narayana's TransactionManager and TransactionSynchronizationRegistry;</li>
 *   <li>weaving off (no agent), logging at WARNING (property {@code eclipselink.logging.level} overrides it), and the
 *       shared (second-level) cache off unless {@link Builder#sharedCache(boolean)} turns it on, so that rows changed
 *       over plain JDBC between tests are never served stale.</li>
 * </ul>
 *
 * <p>With {@link Provider#HIBERNATE} (Hibernate ORM on the class path; the bridge's tests do not have it, the bench
 * does): the same unit, with {@code hibernate.transaction.jta.platform} = Hibernate's platform for a stand-alone
 * Narayana, no schema generation, the second-level cache off unless {@link Builder#sharedCache(boolean)}.
 *
 * <p>{@link #entityManager()} behaves like an injected {@code @PersistenceContext}: see
 * {@link TransactionScopedEntityManager}. {@code JtaContainer} makes it, and the transaction objects, injectable.
 */
public final class JpaHarness implements AutoCloseable {

    /** The JPA providers the harness can run. */
    public enum Provider {
        /** EclipseLink, as on Liberty (the default). */
        ECLIPSELINK("org.eclipse.persistence.jpa.PersistenceProvider"),
        /** Hibernate ORM, as on WildFly; needs {@code org.hibernate.orm:hibernate-core} on the class path. */
        HIBERNATE("org.hibernate.jpa.HibernatePersistenceProvider");

        private final String className;

        Provider(String className) {
            this.className = className;
        }

        /** The provider's {@link jakarta.persistence.spi.PersistenceProvider} class. */
        public String className() {
            return className;
        }
    }

    /** The persistence unit name unless {@link Builder#unitName(String)} sets one. */
    public static final String DEFAULT_UNIT_NAME = "bridge-test";

    private final TestDatabase database;
    private final boolean closeDatabase;
    private final String unitName;
    private final EntityManagerFactory factory;
    private final TransactionScopedEntityManager entityManager;
    private volatile boolean closed;

    private JpaHarness(TestDatabase database, boolean closeDatabase, String unitName, EntityManagerFactory factory) {
        this.database = database;
        this.closeDatabase = closeDatabase;
        this.unitName = unitName;
        this.factory = factory;
        this.entityManager = new TransactionScopedEntityManager(factory, Narayana.transactionManager(),
                Narayana.transactionSynchronizationRegistry(), unitName);
    }

    /** A new builder; {@link Builder#start()} boots the harness. */
    public static Builder builder() {
        return new Builder();
    }

    /** The database under the persistence unit. */
    public TestDatabase database() {
        return database;
    }

    /** The persistence unit's name. */
    public String unitName() {
        return unitName;
    }

    /** The JTA DataSource the persistence unit uses (connections enlist in the caller's transaction). */
    public DataSource dataSource() {
        return database.jtaDataSource();
    }

    /** The container-managed EntityManagerFactory (what {@code @PersistenceUnit} would inject). */
    public EntityManagerFactory entityManagerFactory() {
        return factory;
    }

    /**
     * The transaction-scoped EntityManager (what {@code @PersistenceContext} would inject): one object for every
     * thread; within a JTA transaction each call goes to that transaction's own EntityManager.
     */
    public EntityManager entityManager() {
        return entityManager.proxy();
    }

    /** Narayana's TransactionManager. */
    public TransactionManager transactionManager() {
        return Narayana.transactionManager();
    }

    /** Narayana's UserTransaction. */
    public UserTransaction userTransaction() {
        return Narayana.userTransaction();
    }

    /** Narayana's TransactionSynchronizationRegistry. */
    public TransactionSynchronizationRegistry transactionSynchronizationRegistry() {
        return Narayana.transactionSynchronizationRegistry();
    }

    /**
     * Runs {@code work} in a new JTA transaction on the calling thread and commits it; rolls back and rethrows if
     * {@code work} throws, or if the transaction was marked rollback-only (then throws
     * {@link jakarta.transaction.RollbackException} wrapped in an {@link IllegalStateException}).
     */
    public <T> T inTransaction(Function<EntityManager, T> work) {
        return call(() -> work.apply(entityManager()));
    }

    /** Like {@link #inTransaction(Function)}, for work without a result. */
    public void runInTransaction(Consumer<EntityManager> work) {
        call(() -> {
            work.accept(entityManager());
            return null;
        });
    }

    /** Runs {@code work} in a new JTA transaction and commits it, rolling back if it throws. */
    public <T> T call(Callable<T> work) {
        TransactionManager tm = transactionManager();
        try {
            tm.begin();
        } catch (Exception e) {
            throw new IllegalStateException("could not begin a transaction", e);
        }
        T result;
        try {
            result = work.call();
        } catch (Throwable failure) {
            try {
                tm.rollback();
            } catch (SystemException | IllegalStateException rollbackFailure) {
                failure.addSuppressed(rollbackFailure);
            }
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(failure);
        }
        try {
            if (tm.getStatus() == Status.STATUS_MARKED_ROLLBACK) {
                tm.rollback();
                throw new IllegalStateException("the transaction was marked rollback-only and was rolled back");
            }
            tm.commit();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the transaction did not commit", e);
        }
        return result;
    }

    /**
     * Closes the EntityManagerFactory and, unless {@link Builder#keepDatabase()} was called, the database (dropping
     * its schema). Rolls back a transaction the calling thread left open. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Narayana.rollbackLeftover();
        try {
            entityManager.closeLeftovers();
            factory.close();
        } finally {
            if (closeDatabase) {
                database.close();
            }
        }
    }

    @Override
    public String toString() {
        return "JpaHarness[" + unitName + " on " + database + "]";
    }

    /** Configures and starts a {@link JpaHarness}. */
    public static final class Builder {

        private TestDatabase database;
        private boolean closeDatabase = true;
        private String unitName = DEFAULT_UNIT_NAME;
        private final Set<Class<?>> entities = new LinkedHashSet<>();
        private final List<String> scripts = new ArrayList<>();
        private final Map<String, Object> properties = new LinkedHashMap<>();
        private boolean sharedCache;
        private Provider provider = Provider.ECLIPSELINK;

        private Builder() {
        }

        /** The database (default: a new {@link TestDatabase#h2()}). The harness closes it unless {@link #keepDatabase()}. */
        public Builder database(TestDatabase database) {
            this.database = database;
            return this;
        }

        /** Leaves the database open when the harness closes (the caller closes it). */
        public Builder keepDatabase() {
            this.closeDatabase = false;
            return this;
        }

        /** The persistence unit's name (default {@value #DEFAULT_UNIT_NAME}). */
        public Builder unitName(String unitName) {
            this.unitName = unitName;
            return this;
        }

        /** Adds entity (and embeddable, mapped-superclass, converter) classes to the persistence unit. */
        public Builder entities(Class<?>... classes) {
            entities.addAll(Arrays.asList(classes));
            return this;
        }

        /** Adds a DDL script (statements separated by {@code ;}) to run, in order, before the unit deploys. */
        public Builder ddl(String script) {
            scripts.add(script);
            return this;
        }

        /** Adds a DDL script from the class path to run, in order, before the unit deploys. */
        public Builder ddlResource(String resource) {
            scripts.add(SqlScript.readResource(resource));
            return this;
        }

        /** Sets a persistence unit property (overrides the harness's defaults). */
        public Builder property(String name, Object value) {
            properties.put(name, value);
            return this;
        }

        /** Whether EclipseLink keeps a shared (second-level) cache of entities; default false. */
        public Builder sharedCache(boolean enabled) {
            this.sharedCache = enabled;
            return this;
        }

        /** The JPA provider (default {@link Provider#ECLIPSELINK}). */
        public Builder provider(Provider provider) {
            this.provider = provider;
            return this;
        }

        /** Runs the DDL, deploys the persistence unit and logs in to the database. */
        public JpaHarness start() {
            Narayana.configure();
            TestDatabase db = database != null ? database : TestDatabase.h2();
            try {
                scripts.forEach(db::runScript);
                DataSource dataSource = db.jtaDataSource();
                ClassLoader loader = loader();
                Properties unitProperties = new Properties();
                unitProperties.putAll(defaults(dataSource));
                unitProperties.putAll(properties);
                TestPersistenceUnit info = TestPersistenceUnit.jta(unitName,
                        entities.stream().map(Class::getName).toList(), dataSource,
                        sharedCache ? SharedCacheMode.ALL : SharedCacheMode.NONE, unitProperties,
                        TestPersistenceUnit.emptyRootUrl("jpa-harness-root"), loader);
                Map<String, Object> overrides = new LinkedHashMap<>(defaults(dataSource));
                overrides.putAll(properties);
                EntityManagerFactory factory = provider == Provider.ECLIPSELINK
                        ? new PersistenceProvider().createContainerEntityManagerFactory(info, overrides)
                        : hibernate().createContainerEntityManagerFactory(info, overrides);
                if (provider == Provider.ECLIPSELINK) {
                    try {
                        JpaHelper.getServerSession(factory); // deploys and logs in now: mapping errors surface here
                    } catch (RuntimeException e) {
                        factory.close();
                        throw e;
                    }
                }
                return new JpaHarness(db, closeDatabase, unitName, factory);
            } catch (RuntimeException | Error e) {
                if (closeDatabase) {
                    db.close();
                }
                throw e;
            }
        }

        private jakarta.persistence.spi.PersistenceProvider hibernate() {
            try {
                return (jakarta.persistence.spi.PersistenceProvider) Class.forName(Provider.HIBERNATE.className())
                        .getConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Hibernate ORM is not on the class path", e);
            }
        }

        private Map<String, Object> defaults(DataSource dataSource) {
            return provider == Provider.ECLIPSELINK ? eclipseLinkDefaults(dataSource) : hibernateDefaults(dataSource);
        }

        private Map<String, Object> hibernateDefaults(DataSource dataSource) {
            Map<String, Object> defaults = new LinkedHashMap<>();
            defaults.put("jakarta.persistence.transactionType", "JTA");
            defaults.put("jakarta.persistence.jtaDataSource", dataSource);
            defaults.put("hibernate.transaction.jta.platform",
                    "org.hibernate.engine.transaction.jta.platform.internal.JBossStandAloneJtaPlatform");
            defaults.put("hibernate.hbm2ddl.auto", "none");
            defaults.put("hibernate.cache.use_second_level_cache", Boolean.toString(sharedCache));
            defaults.put("hibernate.archive.autodetection", "none");
            return defaults;
        }

        private Map<String, Object> eclipseLinkDefaults(DataSource dataSource) {
            Map<String, Object> defaults = new LinkedHashMap<>();
            defaults.put(PersistenceUnitProperties.TRANSACTION_TYPE, "JTA");
            defaults.put(PersistenceUnitProperties.JTA_DATASOURCE, dataSource);
            defaults.put(PersistenceUnitProperties.TARGET_SERVER, NarayanaServerPlatform.class.getName());
            defaults.put(PersistenceUnitProperties.WEAVING, "false");
            defaults.put(PersistenceUnitProperties.DDL_GENERATION, PersistenceUnitProperties.NONE);
            defaults.put(PersistenceUnitProperties.LOGGING_LEVEL, "WARNING");
            // a session name of its own: EclipseLink keys deployed units by it, and two harnesses of one JVM may share
            // the unit name
            defaults.put(PersistenceUnitProperties.SESSION_NAME, unitName + "-" + Integer.toHexString(
                    System.identityHashCode(this)));
            defaults.put(PersistenceUnitProperties.CACHE_SHARED_DEFAULT, Boolean.toString(sharedCache));
            defaults.put(PersistenceUnitProperties.DEPLOY_ON_STARTUP, "true");
            return defaults;
        }

        private static ClassLoader loader() {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            return loader != null ? loader : JpaHarness.class.getClassLoader();
        }
    }
}
