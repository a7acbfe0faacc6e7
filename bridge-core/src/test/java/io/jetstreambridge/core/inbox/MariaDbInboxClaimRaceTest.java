package io.jetstreambridge.core.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetstreambridge.testing.jta.MariaDbDatabase;
import io.jetstreambridge.testing.jta.SqlScript;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Two claims of one new event id on MariaDB with the shipped {@code mysql} script, statement by statement as
 * {@link InboxStore#claim} runs them (locking read, then insert): whichever way InnoDB ends the race, the loser's
 * error is recognised as a conflict on the inbox row. Plain JDBC: the JTA harness has no MariaDB.
 */
class MariaDbInboxClaimRaceTest {

    private static final String READ = "SELECT event_id FROM jetstream_bridge_inbox_events WHERE event_id = ? "
            + "FOR UPDATE";
    private static final String INSERT = "INSERT INTO jetstream_bridge_inbox_events (event_id, event_type, status, "
            + "received_at, created_at, updated_at) VALUES (?, 'invoice.created', 'processed', NOW(), NOW(), NOW())";

    private static MariaDbDatabase database;

    @BeforeAll
    static void schema() throws SQLException {
        database = MariaDbDatabase.create("claimrace");
        try (Connection connection = database.openConnection(); Statement statement = connection.createStatement()) {
            for (String sql : SqlScript.split(
                    SqlScript.readResource("db/jetstream-bridge/mysql/V1__jetstream_bridge_inbox.sql"))) {
                statement.execute(sql);
            }
        }
    }

    @AfterAll
    static void drop() {
        database.close();
    }

    @Test
    void bothReadBeforeEitherInsertsTheLoserIsARowConflict() throws Exception {
        try (Connection first = database.openConnection(); Connection second = database.openConnection()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            read(first, "race-1");
            read(second, "race-1");
            CompletableFuture<Void> firstInsert = CompletableFuture.runAsync(() -> {
                try {
                    insert(first, "race-1");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            SQLException lost = null;
            try {
                insert(second, "race-1");
            } catch (SQLException e) {
                lost = e;
            }
            if (lost == null) { // InnoDB chose the first as the victim
                try {
                    firstInsert.get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    lost = (SQLException) e.getCause().getCause();
                }
            } else {
                firstInsert.get(30, TimeUnit.SECONDS);
            }

            assertThat((Object) lost).as("one of the two inserts must lose").isNotNull();
            assertThat(InboxConflictException.isRowConflict(lost)).as(lost.getSQLState() + " " + lost.getErrorCode()
                    + " " + lost.getMessage()).isTrue();
            first.rollback();
            second.rollback();
        }
    }

    @Test
    void aReadAfterTheOtherInsertedWaitsAndAnInsertThenHitsTheKey() throws Exception {
        try (Connection first = database.openConnection(); Connection second = database.openConnection()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            read(first, "race-2");
            insert(first, "race-2");
            CompletableFuture<Void> secondClaim = CompletableFuture.runAsync(() -> {
                try {
                    insert(second, "race-2"); // waits on the first's uncommitted row
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            first.commit();

            SQLException lost = null;
            try {
                secondClaim.get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                lost = (SQLException) e.getCause().getCause();
            }
            assertThat((Object) lost).as("the second insert must hit the key").isNotNull();
            assertThat(InboxConflictException.isRowConflict(lost)).as(lost.getSQLState() + " " + lost.getErrorCode()
                    + " " + lost.getMessage()).isTrue();
            second.rollback();
        }
    }

    private static void read(Connection connection, String id) throws SQLException {
        try (PreparedStatement read = connection.prepareStatement(READ)) {
            read.setString(1, id);
            read.executeQuery().close();
        }
    }

    private static void insert(Connection connection, String id) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, id);
            insert.executeUpdate();
        }
    }
}
