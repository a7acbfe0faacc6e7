package io.jetstreambridge.core.outbox;

import io.jetstreambridge.testing.jta.TestPersistenceUnit;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.jpa.HibernatePersistenceProvider;
import org.hibernate.resource.jdbc.spi.StatementInspector;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Hibernate ORM 6.6 (WildFly 39's provider) as the JPA provider outside a server: a programmatic RESOURCE_LOCAL
 * unit on a JDBC URL with exactly the given entities, no schema generation unless a property says otherwise, and a
 * {@link #statements() log} of every SQL statement Hibernate itself prepares (its statement inspector; JDBC work
 * that Hibernate lends its connection to is not in it).
 */
public final class HibernateUnit implements AutoCloseable {

    private final EntityManagerFactory factory;
    private final List<String> statements = new CopyOnWriteArrayList<>();

    private HibernateUnit(String unitName, List<Class<?>> entities, String jdbcUrl, String user, String password,
                          Map<String, Object> extra) {
        Properties properties = new Properties();
        properties.put("jakarta.persistence.jdbc.url", jdbcUrl);
        properties.put("jakarta.persistence.jdbc.user", user);
        properties.put("jakarta.persistence.jdbc.password", password == null ? "" : password);
        properties.put("hibernate.hbm2ddl.auto", "none");
        properties.put("hibernate.connection.pool_size", "16"); // the store tests claim from several threads at once
        properties.put("hibernate.session_factory.statement_inspector", (StatementInspector) sql -> {
            statements.add(sql);
            return sql;
        });
        properties.putAll(extra);
        factory = new HibernatePersistenceProvider().createContainerEntityManagerFactory(
                TestPersistenceUnit.resourceLocal(unitName, entities.stream().map(Class::getName).toList(),
                        properties, TestPersistenceUnit.emptyRootUrl("hibernate-unit-root"),
                        HibernateUnit.class.getClassLoader()), Map.of());
    }

    /** Boots the unit (Hibernate builds its metadata, and validates the schema if asked, here). */
    public static HibernateUnit start(String unitName, List<Class<?>> entities, String jdbcUrl, String user,
                                      String password, Map<String, Object> properties) {
        return new HibernateUnit(unitName, entities, jdbcUrl, user, password, properties);
    }

    public EntityManagerFactory factory() {
        return factory;
    }

    /** The SQL Hibernate prepared so far, in order. */
    public List<String> statements() {
        return List.copyOf(statements);
    }

    public void clearStatements() {
        statements.clear();
    }

    @Override
    public void close() {
        factory.close();
    }
}
