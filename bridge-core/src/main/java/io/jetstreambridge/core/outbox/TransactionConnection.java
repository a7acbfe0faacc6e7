package io.jetstreambridge.core.outbox;

import jakarta.persistence.EntityManager;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Native JDBC work on the connection of the transaction an {@link EntityManager} works in, so that it commits or
 * rolls back with the entity manager's own changes, whichever provider runs it:
 * <ul>
 *   <li>EclipseLink hands that connection out ({@code unwrap(Connection.class)});</li>
 *   <li>Hibernate refuses to, and lends it only inside {@code Session.doReturningWork}: under JTA it may release its
 *       connection after each statement, so the connection must not outlive the work.</li>
 * </ul>
 * The only Hibernate-specific code of the bridge. Hibernate is reached by reflection, through the class loader of
 * the provider's own entity manager, so neither this jar nor an EclipseLink application needs Hibernate on its
 * class path.
 */
final class TransactionConnection {

    static final String HIBERNATE_SESSION = "org.hibernate.Session";
    static final String HIBERNATE_RETURNING_WORK = "org.hibernate.jdbc.ReturningWork";

    /** Work on a JDBC connection that the caller does not close. */
    @FunctionalInterface
    interface JdbcWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private TransactionConnection() {
    }

    /**
     * Runs {@code work} on the transaction's connection and returns its (non-null) result, or empty when the
     * provider lends its connection neither way (then nothing ran).
     *
     * @throws SQLException what {@code work} threw, also when Hibernate wrapped it
     */
    static <T> Optional<T> apply(EntityManager em, JdbcWork<T> work) throws SQLException {
        Connection connection = unwrapped(em);
        if (connection != null) {
            return Optional.of(work.run(connection));
        }
        return throughHibernate(em, work);
    }

    private static Connection unwrapped(EntityManager em) {
        try {
            return em.unwrap(Connection.class);
        } catch (RuntimeException e) {
            return null; // PersistenceException: the specification's answer for "cannot unwrap" (Hibernate)
        }
    }

    private static <T> Optional<T> throughHibernate(EntityManager em, JdbcWork<T> work) throws SQLException {
        Object delegate = em.getDelegate();
        ClassLoader provider = delegate.getClass().getClassLoader();
        Class<?> session;
        Class<?> returningWork;
        try {
            session = Class.forName(HIBERNATE_SESSION, false, provider);
            returningWork = Class.forName(HIBERNATE_RETURNING_WORK, false, provider);
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty(); // neither EclipseLink nor Hibernate
        }
        if (!session.isInstance(delegate)) {
            return Optional.empty(); // Hibernate is on the class path, but another provider runs this unit
        }
        Object hibernate = em.unwrap(session);
        Object adapter = Proxy.newProxyInstance(provider, new Class<?>[] {returningWork}, (self, method, args) ->
                switch (method.getName()) {
                    case "execute" -> work.run((Connection) args[0]);
                    case "equals" -> self == args[0];
                    case "hashCode" -> System.identityHashCode(self);
                    case "toString" -> "JetStream Bridge JDBC work";
                    default -> throw new UnsupportedOperationException(method.toString());
                });
        try {
            Method doReturningWork = session.getMethod("doReturningWork", returningWork);
            return Optional.of(castResult(doReturningWork.invoke(hibernate, adapter)));
        } catch (InvocationTargetException e) {
            throw unwrap(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot run JDBC work through Hibernate's " + HIBERNATE_SESSION, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T castResult(Object result) {
        return (T) result;
    }

    /** The work's own SQLException (Hibernate converts it to a JDBCException around it), else the failure. */
    private static SQLException unwrap(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return sql;
            }
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException(failure);
    }
}
