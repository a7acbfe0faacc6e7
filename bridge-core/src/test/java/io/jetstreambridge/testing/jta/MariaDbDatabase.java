package io.jetstreambridge.testing.jta;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A throwaway database on the local MariaDB (or MySQL) server, over plain JDBC: the JTA harness ({@link TestDatabase})
 * has no MariaDB. Each instance creates the database {@code jsbt_<epoch seconds>_<random>[_<hint>]};
 * {@link #close()} drops it, and databases of that form older than six hours are dropped as leftovers of killed
 * runs.
 *
 * <p>Server: {@code 127.0.0.1:3306}, user {@code root}, no password, unless the system properties
 * {@code jsb.test.mariadb.host}, {@code .port}, {@code .user} and {@code .password} say otherwise.
 */
public final class MariaDbDatabase implements AutoCloseable {

    private final String serverUrl;
    private final String user = System.getProperty("jsb.test.mariadb.user", "root");
    private final String password = System.getProperty("jsb.test.mariadb.password", "");
    private final String name;

    private MariaDbDatabase(String hint, String options) {
        serverUrl = "jdbc:mariadb://" + System.getProperty("jsb.test.mariadb.host", "127.0.0.1") + ":"
                + System.getProperty("jsb.test.mariadb.port", "3306") + "/";
        name = TestDatabase.uniqueName("jsbt_" + System.currentTimeMillis() / 1000, hint);
        try (Connection connection = DriverManager.getConnection(serverUrl, user, password);
             Statement statement = connection.createStatement()) {
            TestDatabase.dropStale(connection, "SELECT schema_name FROM information_schema.schemata "
                    + "WHERE schema_name REGEXP '^jsbt_[0-9]+_'", stale -> "DROP DATABASE IF EXISTS `" + stale + "`");
            statement.execute("CREATE DATABASE `" + name + "`" + (options.isEmpty() ? "" : " " + options));
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the database " + name + " at " + serverUrl
                    + " as " + user + " (is MariaDB running?)", e);
        }
    }

    /** A fresh database in the server's default character set, its name ending with {@code hint} (if not null). */
    public static MariaDbDatabase create(String hint) {
        return create(hint, "");
    }

    /**
     * A fresh database, its name ending with {@code hint} (if not null), created with {@code options} after
     * {@code CREATE DATABASE <name>}, e.g. {@code CHARACTER SET latin1 COLLATE latin1_swedish_ci}.
     */
    public static MariaDbDatabase create(String hint, String options) {
        return new MariaDbDatabase(hint, options);
    }

    /** The database's name; Connector/J reports MariaDB databases as catalogs. */
    public String name() {
        return name;
    }

    public String jdbcUrl() {
        return serverUrl + name;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** A plain auto-commit connection to the database. */
    public Connection openConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user, password);
    }

    /** Drops the database. */
    @Override
    public void close() {
        try (Connection connection = DriverManager.getConnection(serverUrl, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS `" + name + "`");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop the database " + name + " at " + serverUrl, e);
        }
    }

    @Override
    public String toString() {
        return "MariaDB database " + name + " at " + serverUrl;
    }
}
