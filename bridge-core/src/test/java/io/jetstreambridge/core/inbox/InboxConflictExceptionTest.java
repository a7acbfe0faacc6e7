package io.jetstreambridge.core.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.EntityExistsException;
import jakarta.persistence.PersistenceException;
import org.junit.jupiter.api.Test;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;

/**
 * Which failures mean "another delivery wrote this inbox row": the duplicate-key answers of each supported
 * database, as their drivers report them (PostgreSQL, H2 and Derby run for real in the inbox store tests), and not
 * other integrity violations or other errors.
 */
class InboxConflictExceptionTest {

    @Test
    void duplicateKeysOfEveryDatabaseAreConflicts() {
        // PostgreSQL, H2, Derby
        assertThat(InboxConflictException.isRowConflict(
                new PersistenceException("flush", new SQLException("duplicate key", "23505")))).isTrue();
        // MySQL, MariaDB
        assertThat(InboxConflictException.isRowConflict(new PersistenceException(
                new SQLIntegrityConstraintViolationException("Duplicate entry 'e-1' for key 'PRIMARY'", "23000",
                        1062)))).isTrue();
        assertThat(InboxConflictException.isRowConflict(new EntityExistsException("e-1"))).isTrue();
    }

    @Test
    void anInnoDbDeadlockOfTwoClaimsIsAConflict() {
        // both claims took a gap lock reading the missing id; the second insert is chosen as the victim
        assertThat(InboxConflictException.isRowConflict(new PersistenceException(new SQLException(
                "Deadlock found when trying to get lock; try restarting transaction", "40001", 1213)))).isTrue();
        assertThat(InboxConflictException.isRowConflict(new PersistenceException(new SQLException(
                "Lock wait timeout exceeded", "HY000", 1205)))).isFalse();
    }

    @Test
    void aDuplicateKeyChainedBehindABatchUpdateIsAConflict() {
        BatchUpdateException batch = new BatchUpdateException("batch entry 0 failed", "23000", 0, new int[0]);
        batch.setNextException(new SQLException("duplicate key", "23505"));

        assertThat(InboxConflictException.isRowConflict(new PersistenceException(batch))).isTrue();
    }

    @Test
    void otherIntegrityViolationsAndOtherErrorsAreNot() {
        // MySQL's NOT NULL violation shares the SQLState 23000 with its duplicate key
        assertThat(InboxConflictException.isRowConflict(
                new SQLIntegrityConstraintViolationException("Column cannot be null", "23000", 1048))).isFalse();
        assertThat(InboxConflictException.isRowConflict(
                new PersistenceException(new SQLException("value too long", "22001")))).isFalse();
        assertThat(InboxConflictException.isRowConflict(
                new PersistenceException(new SQLException("connection refused", "08001")))).isFalse();
        assertThat(InboxConflictException.isRowConflict(new IllegalStateException("boom"))).isFalse();
    }
}
