package io.jetstreambridge.core.outbox;

import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.jta.TestDatabase;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceException;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code outbox.database=auto}: EclipseLink (the harness) hands out its connection; for a provider that lends its
 * connection neither way but lists the unit's data source among its factory's properties, the harness's real
 * EntityManager is wrapped to behave that way (Hibernate itself, which lends its connection through
 * {@code doReturningWork}: {@link HibernateNativePathTest}).
 */
class DatabaseDetectionTest {

    @Test
    void eclipseLinkHandsOutTheTransactionsConnection() {
        try (JpaHarness jpa = JpaHarness.builder().database(TestDatabase.h2()).entities(OutboxEvent.class).start()) {
            assertThat(jpa.inTransaction(DatabaseDetection::dialectOf)).isEqualTo(OutboxDialect.H2);
        }
    }

    @Test
    void withoutTheConnectionTheFactorysDataSourceTellsTheDatabase() {
        try (JpaHarness jpa = JpaHarness.builder().database(TestDatabase.derby()).entities(OutboxEvent.class)
                .start()) {
            Map<String, Object> properties = new HashMap<>();
            properties.put("jakarta.persistence.jtaDataSource", jpa.dataSource());
            OutboxDialect dialect = jpa.inTransaction(em -> DatabaseDetection.dialectOf(lendingNoConnection(em, properties)));
            assertThat(dialect).isEqualTo(OutboxDialect.DERBY);
        }
    }

    @Test
    void neitherConnectionNorDataSourceNamesTheSettingToUse() {
        try (JpaHarness jpa = JpaHarness.builder().database(TestDatabase.h2()).entities(OutboxEvent.class).start()) {
            // a JNDI name is what EclipseLink lists; it is not a data source object
            Map<String, Object> properties = Map.of("jakarta.persistence.jtaDataSource", "java:comp/env/jdbc/app");
            assertThatThrownBy(() -> jpa.inTransaction(em -> DatabaseDetection.dialectOf(lendingNoConnection(em, properties))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("set jetstream.bridge.outbox.database")
                    .hasMessageContaining("postgresql, mysql, mariadb, h2 or derby");
        }
    }

    /** {@code em}, except that it cannot unwrap a Connection and its factory lists {@code properties}. */
    private static EntityManager lendingNoConnection(EntityManager em, Map<String, Object> properties) {
        EntityManagerFactory factory = proxy(EntityManagerFactory.class, em.getEntityManagerFactory(),
                (target, method, args) -> method.getName().equals("getProperties") ? properties : null);
        return proxy(EntityManager.class, em, (target, method, args) -> {
            if (method.getName().equals("unwrap") && args[0] == Connection.class) {
                throw new PersistenceException("Hibernate cannot unwrap interface java.sql.Connection");
            }
            return method.getName().equals("getEntityManagerFactory") ? factory : null;
        });
    }

    /** What {@code override} answers (non-null), else the real object's answer. */
    private static <T> T proxy(Class<T> type, T real, InvocationHandler override) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
            Object answer = override.invoke(real, method, args);
            if (answer != null) {
                return answer;
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }
}
