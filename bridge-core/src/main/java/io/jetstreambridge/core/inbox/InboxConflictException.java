package io.jetstreambridge.core.inbox;

import io.jetstreambridge.core.transaction.CauseChain;

import java.sql.SQLException;
import java.time.Duration;

import jakarta.persistence.EntityExistsException;

/**
 * Another delivery of the same event id wrote its inbox row first (a redelivery racing the first delivery's
 * commit, two instances, the same event under two message ids): this delivery's insert hit the primary key. It
 * means "handled elsewhere", not that the event failed: it is neither counted as a failure nor dead-lettered.
 */
public final class InboxConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** How soon a conflicting delivery is offered again when the other one did not end as processed. */
    public static final Duration RETRY_DELAY = Duration.ofSeconds(1);

    /** SQLState of a unique or primary key violation on PostgreSQL, H2 and Derby. */
    private static final String UNIQUE_VIOLATION = "23505";

    /** MySQL's and MariaDB's integrity-constraint SQLState, and their error code for a duplicate key. */
    private static final String MYSQL_INTEGRITY = "23000";
    private static final int MYSQL_DUPLICATE_KEY = 1062;

    /**
     * MySQL's and MariaDB's deadlock: with InnoDB's default isolation (repeatable read) the locking read of a
     * missing id takes a gap lock, so two claims of one new id that both read before either inserts deadlock
     * instead of one of them hitting the key. The victim lost the same race.
     */
    private static final String MYSQL_ROLLBACK = "40001";
    private static final int MYSQL_DEADLOCK = 1213;

    private final String eventId;

    public InboxConflictException(String eventId, Throwable cause) {
        super("the inbox row of event " + eventId + " was written by another delivery at the same time", cause);
        this.eventId = eventId;
    }

    public String eventId() {
        return eventId;
    }

    /**
     * Whether {@code error}, raised while claiming one inbox row, means another claim of that row won:
     * {@link EntityExistsException}, or an {@link SQLException} anywhere in its causes (or their chained
     * exceptions) with SQLState 23505, or MySQL/MariaDB's 23000 with code 1062 (duplicate key) or 40001 with code
     * 1213 (deadlock).
     */
    static boolean isRowConflict(Throwable error) {
        return CauseChain.anyMatch(error, t -> t instanceof EntityExistsException
                || t instanceof SQLException sql && isKeyConflict(sql));
    }

    private static boolean isKeyConflict(SQLException sql) {
        for (SQLException s = sql; s != null; s = s.getNextException()) {
            if (UNIQUE_VIOLATION.equals(s.getSQLState())
                    || MYSQL_INTEGRITY.equals(s.getSQLState()) && s.getErrorCode() == MYSQL_DUPLICATE_KEY
                    || MYSQL_ROLLBACK.equals(s.getSQLState()) && s.getErrorCode() == MYSQL_DEADLOCK) {
                return true;
            }
        }
        return false;
    }
}
