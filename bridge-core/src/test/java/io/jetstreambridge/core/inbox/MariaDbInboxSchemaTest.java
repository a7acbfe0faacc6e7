package io.jetstreambridge.core.inbox;

import io.jetstreambridge.testing.jta.MariaDbDatabase;

/**
 * The shipped {@code mysql} inbox script on MariaDB, over plain JDBC (the JTA harness has no MariaDB): a throwaway
 * {@link MariaDbDatabase} per run, dropped afterwards.
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
        MariaDbDatabase database = MariaDbDatabase.create(null, "CHARACTER SET latin1 COLLATE latin1_swedish_ci");
        // Connector/J reports MariaDB databases as catalogs
        return new EmptySchema(database.jdbcUrl(), database.user(), database.password(), database.name(), null,
                database::close, database.toString());
    }
}
