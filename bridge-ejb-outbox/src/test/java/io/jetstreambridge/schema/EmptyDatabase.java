package io.jetstreambridge.schema;

import io.jetstreambridge.testing.jta.MariaDbDatabase;
import io.jetstreambridge.testing.jta.TestDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A new, empty database (or PostgreSQL schema) reached over plain JDBC; {@link #close()} drops it. {@code catalog}
 * and {@code schema} are what {@code DatabaseMetaData} needs to find its tables, each or null.
 */
record EmptyDatabase(String jdbcUrl, String user, String password, String catalog, String schema,
                     AutoCloseable drop, String description) implements AutoCloseable {

    /** A {@link TestDatabase}: PostgreSQL schema of its own, in-memory H2 or Derby. */
    static EmptyDatabase of(TestDatabase database) {
        return new EmptyDatabase(database.jdbcUrl(), database.user(), database.password(), null, database.schema(),
                database, database.toString());
    }

    /**
     * A throwaway MariaDB database in {@code latin1}, MariaDB's compiled-in default before 11.6: a distribution's
     * my.cnf often says utf8mb4, which would hide a script that relies on it.
     */
    static EmptyDatabase mariaDb(String hint) {
        MariaDbDatabase database = MariaDbDatabase.create(hint, "CHARACTER SET latin1 COLLATE latin1_swedish_ci");
        // Connector/J reports MariaDB databases as catalogs
        return new EmptyDatabase(database.jdbcUrl(), database.user(), database.password(), database.name(), null,
                database, database.toString());
    }

    Connection openConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    DatabaseSchema readSchema() throws SQLException {
        try (Connection connection = openConnection()) {
            return DatabaseSchema.read(connection, catalog, schema);
        }
    }

    @Override
    public void close() throws Exception {
        drop.close();
    }

    @Override
    public String toString() {
        return description;
    }
}
