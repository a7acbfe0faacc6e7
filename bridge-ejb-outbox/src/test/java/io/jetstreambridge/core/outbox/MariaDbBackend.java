package io.jetstreambridge.core.outbox;

import io.jetstreambridge.core.transaction.ResourceLocalTransactions;
import io.jetstreambridge.core.transaction.Transactions;
import io.jetstreambridge.testing.jta.MariaDbDatabase;
import io.jetstreambridge.testing.jta.SqlScript;
import io.jetstreambridge.testing.jta.TestPersistenceUnit;
import jakarta.persistence.EntityManagerFactory;
import org.eclipse.persistence.config.PersistenceUnitProperties;
import org.eclipse.persistence.jpa.JpaHelper;
import org.eclipse.persistence.jpa.PersistenceProvider;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * MariaDB (or MySQL) without the JTA harness, which does not know it: a database of its own on the local server,
 * the shipped MySQL script, and EclipseLink with RESOURCE_LOCAL transactions. {@code eclipselink.transaction
 * .join-existing} sends reads inside a transaction through its connection, as a JTA data source would, so that the
 * claim's locking select and its update share one transaction.
 *
 * <p>Server: {@code 127.0.0.1:3306}, user {@code root} without password, unless the system properties
 * {@code jsb.test.mariadb.host}, {@code .port}, {@code .user} and {@code .password} say otherwise.
 */
final class MariaDbBackend implements OutboxBackend {

    private final MariaDbDatabase database;
    private final EntityManagerFactory factory;
    private final OutboxDialect dialect;

    MariaDbBackend() {
        database = MariaDbDatabase.create("outbox");
        try (Connection connection = openConnection(); Statement statement = connection.createStatement()) {
            for (String script : List.of("V2__jetstream_bridge_outbox.sql",
                    "V3__jetstream_bridge_outbox_indexes.sql")) {
                for (String sql : SqlScript.split(SqlScript.readResource("db/jetstream-bridge/mysql/" + script))) {
                    statement.execute(sql);
                }
            }
            dialect = OutboxDialect.detect(connection);
        } catch (SQLException e) {
            database.close();
            throw new IllegalStateException("the MySQL script failed on " + database.name(), e);
        }
        factory = new PersistenceProvider().createContainerEntityManagerFactory(unit(), Map.of());
        JpaHelper.getServerSession(factory); // deploys now: mapping errors surface here
    }

    /** A programmatic RESOURCE_LOCAL unit with exactly {@link OutboxEvent}. */
    private TestPersistenceUnit unit() {
        Properties properties = new Properties();
        properties.put(PersistenceUnitProperties.JDBC_URL, database.jdbcUrl());
        properties.put(PersistenceUnitProperties.JDBC_USER, database.user());
        properties.put(PersistenceUnitProperties.JDBC_PASSWORD, database.password());
        properties.put(PersistenceUnitProperties.JDBC_DRIVER, "org.mariadb.jdbc.Driver");
        properties.put(PersistenceUnitProperties.TARGET_DATABASE, "MySQL");
        properties.put(PersistenceUnitProperties.JOIN_EXISTING_TRANSACTION, "true");
        properties.put(PersistenceUnitProperties.WEAVING, "false");
        properties.put(PersistenceUnitProperties.DDL_GENERATION, PersistenceUnitProperties.NONE);
        properties.put(PersistenceUnitProperties.LOGGING_LEVEL, "WARNING");
        properties.put(PersistenceUnitProperties.SESSION_NAME, database.name());
        properties.put(PersistenceUnitProperties.CACHE_SHARED_DEFAULT, "false");
        return TestPersistenceUnit.resourceLocal("outbox-mariadb", List.of(OutboxEvent.class.getName()), properties,
                TestPersistenceUnit.emptyRootUrl("jpa-mariadb-root"), MariaDbBackend.class.getClassLoader());
    }

    @Override
    public OutboxDialect dialect() {
        return dialect;
    }

    @Override
    public Transactions transactions() {
        return new ResourceLocalTransactions(factory);
    }

    @Override
    public Connection openConnection() throws SQLException {
        return database.openConnection();
    }

    @Override
    public void close() {
        try {
            factory.close();
        } finally {
            database.close();
        }
    }
}
