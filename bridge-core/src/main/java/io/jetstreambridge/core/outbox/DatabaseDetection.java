package io.jetstreambridge.core.outbox;

import jakarta.persistence.EntityManager;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The outbox dialect of the database behind an {@link EntityManager} ({@code outbox.database=auto}): from the
 * metadata of the transaction's own JDBC {@link Connection}, which EclipseLink hands out and Hibernate lends
 * ({@link TransactionConnection}); failing both, from the persistence unit's {@link DataSource} if the factory lists
 * it among its properties.
 */
public final class DatabaseDetection {

    /** Property names under which providers expose the persistence unit's data source object. */
    static final String[] DATA_SOURCE_PROPERTIES = {
        "jakarta.persistence.jtaDataSource", "javax.persistence.jtaDataSource", "hibernate.connection.datasource",
        "jakarta.persistence.nonJtaDataSource", "javax.persistence.nonJtaDataSource",
    };

    private DatabaseDetection() {
    }

    /**
     * The dialect of {@code em}'s database.
     *
     * @throws IllegalStateException when neither way reaches the database, or its product has no dialect; the
     *                               message names the setting to use instead
     */
    public static OutboxDialect dialectOf(EntityManager em) {
        try {
            Optional<OutboxDialect> detected = TransactionConnection.apply(em, OutboxDialect::detect);
            if (detected.isPresent()) {
                return detected.get();
            }
            Optional<DataSource> dataSource = dataSource(em.getEntityManagerFactory().getProperties());
            if (dataSource.isPresent()) {
                try (Connection own = dataSource.get().getConnection()) {
                    return OutboxDialect.detect(own);
                }
            }
        } catch (SQLException | RuntimeException e) {
            throw new IllegalStateException("cannot tell the outbox database from the EntityManager ("
                    + e.getMessage() + "): set jetstream.bridge.outbox.database", e);
        }
        throw new IllegalStateException("cannot tell the outbox database from the EntityManager (its provider "
                + "exposes neither its JDBC connection nor its data source): set jetstream.bridge.outbox.database "
                + "to postgresql, mysql, mariadb, h2 or derby");
    }

    /** The first data source object among the factory's properties (a JNDI name is not one). */
    static Optional<DataSource> dataSource(Map<String, Object> properties) {
        for (String name : DATA_SOURCE_PROPERTIES) {
            if (properties.get(name) instanceof DataSource dataSource) {
                return Optional.of(dataSource);
            }
        }
        return Optional.empty();
    }
}
