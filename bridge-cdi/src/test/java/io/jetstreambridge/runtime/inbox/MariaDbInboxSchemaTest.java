package io.jetstreambridge.runtime.inbox;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The shipped {@code mysql} inbox script on MariaDB, over plain JDBC (the JTA harness has no MariaDB): a throwaway
 * database {@code jsbt_<epoch seconds>_<random>} per run, dropped afterwards; databases of that form older than six
 * hours are dropped as leftovers of killed runs.
 *
 * <p>The throwaway database is created with {@code latin1}, MariaDB's compiled-in default character set (before
 * 11.6; also MySQL 5.7's): a distribution's my.cnf often says utf8mb4, which would hide a script that relies on it.
 *
 * <p>Server: {@code 127.0.0.1:3306}, user {@code root}, no password, unless the system properties
 * {@code jsb.test.mariadb.host}, {@code .port}, {@code .user} and {@code .password} say otherwise.
 */
class MariaDbInboxSchemaTest extends AbstractInboxSchemaTest {

    MariaDbInboxSchemaTest() {
        super("mysql");
    }

    @Override
    EmptySchema openEmptySchema() {
        return new MariaDbDatabase();
    }

    private static final class MariaDbDatabase implements EmptySchema {

        private static final SecureRandom RANDOM = new SecureRandom();
        private static final Duration STALE = Duration.ofHours(6);

        private final String serverUrl;
        private final String user = System.getProperty("jsb.test.mariadb.user", "root");
        private final String password = System.getProperty("jsb.test.mariadb.password", "");
        private final String name = "jsbt_" + System.currentTimeMillis() / 1000 + "_"
                + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);

        MariaDbDatabase() {
            serverUrl = "jdbc:mariadb://" + System.getProperty("jsb.test.mariadb.host", "127.0.0.1") + ":"
                    + System.getProperty("jsb.test.mariadb.port", "3306") + "/";
            try (Connection connection = DriverManager.getConnection(serverUrl, user, password);
                 Statement statement = connection.createStatement()) {
                dropStaleDatabases(statement);
                statement.execute("CREATE DATABASE `" + name + "` CHARACTER SET latin1 COLLATE latin1_swedish_ci");
            } catch (SQLException e) {
                throw new IllegalStateException("could not create the database " + name + " at " + serverUrl
                        + " as " + user + " (is MariaDB running?)", e);
            }
        }

        private static void dropStaleDatabases(Statement statement) throws SQLException {
            long cutoff = System.currentTimeMillis() / 1000 - STALE.toSeconds();
            List<String> stale = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT schema_name FROM information_schema.schemata "
                    + "WHERE schema_name REGEXP '^jsbt_[0-9]+_'")) {
                while (rows.next()) {
                    String database = rows.getString(1);
                    if (Long.parseLong(database.split("_")[1]) < cutoff) {
                        stale.add(database);
                    }
                }
            }
            for (String database : stale) {
                try {
                    statement.execute("DROP DATABASE IF EXISTS `" + database + "`");
                } catch (SQLException ignored) {
                    // another run is dropping it too
                }
            }
        }

        @Override
        public String jdbcUrl() {
            return serverUrl + name;
        }

        @Override
        public String user() {
            return user;
        }

        @Override
        public String password() {
            return password;
        }

        @Override
        public String catalog() {
            return name; // Connector/J reports MariaDB databases as catalogs
        }

        @Override
        public String schema() {
            return null;
        }

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
}
