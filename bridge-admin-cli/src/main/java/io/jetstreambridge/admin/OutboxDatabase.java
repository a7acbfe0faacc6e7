package io.jetstreambridge.admin;

import io.jetstreambridge.core.outbox.JpaOutboxStore;
import io.jetstreambridge.core.outbox.OutboxMaintenance;
import io.jetstreambridge.core.outbox.OutboxDialect;
import io.jetstreambridge.core.transaction.ResourceLocalTransactions;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import jakarta.persistence.PersistenceException;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The application's outbox table outside the server: the outbox module's own store and {@link OutboxMaintenance}, over
 * a RESOURCE_LOCAL persistence unit ({@code META-INF/persistence.xml} of this jar) on the given JDBC URL. Each
 * operation runs in a local transaction of its own, as {@code OutboxMaintenanceService} does with JTA in the server.
 */
final class OutboxDatabase implements AutoCloseable {

    static final String UNIT = "jetstream-bridge-admin-outbox";

    private final EntityManagerFactory factory;
    private final OutboxMaintenance maintenance;

    private OutboxDatabase(EntityManagerFactory factory, OutboxDialect dialect) {
        this.factory = factory;
        this.maintenance = new OutboxMaintenance(new JpaOutboxStore(dialect), new ResourceLocalTransactions(factory),
                Clock.systemUTC());
    }

    /**
     * Connects once to learn the database (as {@code outbox.database=auto} does), then opens the unit.
     *
     * @throws DatabaseUnavailableException the database cannot be reached or refuses the credentials
     */
    static OutboxDatabase open(String url, String user, String password) {
        OutboxDialect dialect;
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            dialect = OutboxDialect.detect(connection);
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("cannot connect to the database at " + redacted(url) + ": "
                    + e.getMessage(), e);
        }
        Map<String, Object> properties = new HashMap<>();
        properties.put("jakarta.persistence.jdbc.url", url);
        if (user != null) {
            properties.put("jakarta.persistence.jdbc.user", user);
        }
        if (password != null) {
            properties.put("jakarta.persistence.jdbc.password", password);
        }
        try {
            EntityManagerFactory factory = Persistence.createEntityManagerFactory(UNIT, properties);
            return new OutboxDatabase(factory, dialect);
        } catch (PersistenceException e) {
            throw new DatabaseUnavailableException("cannot open the outbox table at " + redacted(url) + ": "
                    + e.getMessage(), e);
        }
    }

    OutboxMaintenance maintenance() {
        return maintenance;
    }

    @Override
    public void close() {
        factory.close();
    }

    /** A JDBC URL without a password a user may have put in it ({@code ...?password=...}). */
    static String redacted(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1******");
    }

    /** The database cannot be reached or refuses the credentials: exit code 3, as for NATS. */
    static final class DatabaseUnavailableException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        DatabaseUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
