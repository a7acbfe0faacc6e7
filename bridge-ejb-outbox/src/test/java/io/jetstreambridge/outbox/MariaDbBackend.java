package io.jetstreambridge.outbox;

import io.jetstreambridge.runtime.transaction.Transactions;
import io.jetstreambridge.testing.jta.SqlScript;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.SharedCacheMode;
import jakarta.persistence.ValidationMode;
import jakarta.persistence.spi.ClassTransformer;
import jakarta.persistence.spi.PersistenceUnitInfo;
import jakarta.persistence.spi.PersistenceUnitTransactionType;
import org.eclipse.persistence.config.PersistenceUnitProperties;
import org.eclipse.persistence.jpa.JpaHelper;
import org.eclipse.persistence.jpa.PersistenceProvider;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

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

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String serverUrl;
    private final String user;
    private final String password;
    private final String database;
    private final EntityManagerFactory factory;
    private final OutboxDialect dialect;

    MariaDbBackend() {
        String host = System.getProperty("jsb.test.mariadb.host", "127.0.0.1");
        String port = System.getProperty("jsb.test.mariadb.port", "3306");
        serverUrl = "jdbc:mariadb://" + host + ":" + port + "/";
        user = System.getProperty("jsb.test.mariadb.user", "root");
        password = System.getProperty("jsb.test.mariadb.password", "");
        database = "jsbt_" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36) + "_outbox";
        try (Connection connection = DriverManager.getConnection(serverUrl, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the database " + database + " at " + serverUrl
                    + " as " + user + " (is MariaDB running?)", e);
        }
        try (Connection connection = openConnection(); Statement statement = connection.createStatement()) {
            for (String sql : SqlScript.split(SqlScript.readResource(
                    "db/jetstream-bridge/mysql/V2__jetstream_bridge_outbox.sql"))) {
                statement.execute(sql);
            }
            dialect = OutboxDialect.detect(connection);
        } catch (SQLException e) {
            drop();
            throw new IllegalStateException("the MySQL script failed on " + database, e);
        }
        factory = new PersistenceProvider().createContainerEntityManagerFactory(new Unit(), Map.of());
        JpaHelper.getServerSession(factory); // deploys now: mapping errors surface here
    }

    private String url() {
        return serverUrl + database;
    }

    @Override
    public OutboxDialect dialect() {
        return dialect;
    }

    @Override
    public Transactions transactions() {
        return new Transactions() {
            @Override
            public <T> T inTransaction(Function<EntityManager, T> work) {
                EntityManager em = factory.createEntityManager();
                EntityTransaction transaction = em.getTransaction();
                try {
                    transaction.begin();
                    T result = work.apply(em);
                    transaction.commit();
                    return result;
                } finally {
                    if (transaction.isActive()) {
                        transaction.rollback();
                    }
                    em.close();
                }
            }
        };
    }

    @Override
    public Connection openConnection() throws SQLException {
        return DriverManager.getConnection(url(), user, password);
    }

    @Override
    public String catalog() {
        return database;
    }

    @Override
    public String schema() {
        return null;
    }

    @Override
    public void close() {
        try {
            factory.close();
        } finally {
            drop();
        }
    }

    private void drop() {
        try (Connection connection = DriverManager.getConnection(serverUrl, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop the database " + database, e);
        }
    }

    /** A programmatic RESOURCE_LOCAL unit with exactly {@link OutboxEvent}. */
    private final class Unit implements PersistenceUnitInfo {

        private final Properties properties = new Properties();

        Unit() {
            properties.put(PersistenceUnitProperties.JDBC_URL, url());
            properties.put(PersistenceUnitProperties.JDBC_USER, user);
            properties.put(PersistenceUnitProperties.JDBC_PASSWORD, password);
            properties.put(PersistenceUnitProperties.JDBC_DRIVER, "org.mariadb.jdbc.Driver");
            properties.put(PersistenceUnitProperties.TARGET_DATABASE, "MySQL");
            properties.put(PersistenceUnitProperties.JOIN_EXISTING_TRANSACTION, "true");
            properties.put(PersistenceUnitProperties.WEAVING, "false");
            properties.put(PersistenceUnitProperties.DDL_GENERATION, PersistenceUnitProperties.NONE);
            properties.put(PersistenceUnitProperties.LOGGING_LEVEL, "WARNING");
            properties.put(PersistenceUnitProperties.SESSION_NAME, database);
            properties.put(PersistenceUnitProperties.CACHE_SHARED_DEFAULT, "false");
        }

        @Override
        public String getPersistenceUnitName() {
            return "outbox-mariadb";
        }

        @Override
        public String getPersistenceProviderClassName() {
            return PersistenceProvider.class.getName();
        }

        @Override
        public PersistenceUnitTransactionType getTransactionType() {
            return PersistenceUnitTransactionType.RESOURCE_LOCAL;
        }

        @Override
        public DataSource getJtaDataSource() {
            return null;
        }

        @Override
        public DataSource getNonJtaDataSource() {
            return null;
        }

        @Override
        public List<String> getMappingFileNames() {
            return List.of();
        }

        @Override
        public List<URL> getJarFileUrls() {
            return List.of();
        }

        @Override
        public URL getPersistenceUnitRootUrl() {
            try { // an empty directory: nothing to scan, no stray META-INF/orm.xml
                Path root = Path.of("target", "jpa-mariadb-root");
                Files.createDirectories(root);
                return root.toUri().toURL();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public List<String> getManagedClassNames() {
            return List.of(OutboxEvent.class.getName());
        }

        @Override
        public boolean excludeUnlistedClasses() {
            return true;
        }

        @Override
        public SharedCacheMode getSharedCacheMode() {
            return SharedCacheMode.NONE;
        }

        @Override
        public ValidationMode getValidationMode() {
            return ValidationMode.NONE;
        }

        @Override
        public Properties getProperties() {
            return properties;
        }

        @Override
        public String getPersistenceXMLSchemaVersion() {
            return "3.0";
        }

        @Override
        public ClassLoader getClassLoader() {
            return MariaDbBackend.class.getClassLoader();
        }

        @Override
        public void addTransformer(ClassTransformer transformer) {
            // weaving is off
        }

        @Override
        public ClassLoader getNewTempClassLoader() {
            return MariaDbBackend.class.getClassLoader();
        }
    }
}
