package io.jetstreambridge.core.outbox;

import jakarta.persistence.EntityManager;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The outbox table, behind a narrow interface (as gruelbox's {@code Persistor}): every method works in the
 * transaction of the {@link EntityManager} it is given, and takes the current time as a parameter so retries,
 * leases and retention are testable without sleeping. Database differences live in an {@code OutboxDialect}.
 *
 * <p>Rows move {@code pending} → gone (deleted once JetStream acknowledged them, the default) or {@code sent}
 * (with {@code outbox.sent-rows=keep}), or → {@code failed} after the maximum attempts. A claim is a lease:
 * {@code claimed_by}/{@code claimed_until} say who is publishing a row until when; an expired lease makes the row
 * claimable again, so a crashed relay's rows are picked up by the sweeper.
 */
public interface OutboxStore {

    /**
     * Adds a pending row in the caller's (JTA) transaction. Rows appended in one transaction get ids in the order
     * of the calls.
     *
     * @return the row's id, known once the row is written: when the transaction commits at the latest
     */
    LongSupplier append(EntityManager em, NewOutboxEvent event, Instant now);

    /**
     * Claims these rows (the fast path after commit) if they are pending and not leased (an expired lease counts as
     * none, whoever held it).
     *
     * @return the rows actually claimed, ordered by id
     */
    List<OutboxRecord> claimIds(EntityManager em, Collection<Long> ids, String owner, Instant now, Duration lease);

    /**
     * The fast path's lease: as {@link #claimIds}, but only rows never attempted, and nothing is read but the ids
     * (the relay holds what it wrote). A row another relay holds, sent, or already tried is left out.
     *
     * @return the ids actually claimed, ascending
     */
    List<Long> leaseUnattempted(EntityManager em, Collection<Long> ids, String owner, Instant now, Duration lease);

    /**
     * Claims up to {@code limit} due rows: pending, {@code next_attempt_at <= now}, created before
     * {@code createdBefore} (the grace period of the fast path), and not leased. With {@code perResource} only the
     * oldest unfinished row of each resource is claimable, so a failing row holds back later rows of its resource.
     * Concurrent claimers never get the same row. The longest-due rows are picked first.
     *
     * @return the rows claimed, ordered by id
     */
    List<OutboxRecord> claimDue(EntityManager em, int limit, String owner, Instant now, Instant createdBefore,
                                Duration lease, boolean perResource);

    /**
     * Whether this database can claim with row locks held to the end of the claiming transaction
     * ({@code SELECT ... FOR UPDATE SKIP LOCKED}: PostgreSQL, MySQL, MariaDB), so a relay may publish inside that
     * transaction with {@link #lockIds}/{@link #lockDue} instead of writing a lease. False on H2 and Derby.
     */
    boolean locksRows();

    /**
     * As {@link #claimIds}, but the claim is this transaction's row lock: nothing is written, concurrent claimers
     * skip the rows until the transaction ends, and a rollback (or a dead connection) leaves them pending and free.
     *
     * @throws UnsupportedOperationException when {@link #locksRows()} is false
     */
    List<OutboxRecord> lockIds(EntityManager em, Collection<Long> ids, Instant now);

    /**
     * The fast path's row locks: as {@link #lockIds}, but only rows never attempted, and only their ids are read
     * ({@code SELECT id ... FOR UPDATE SKIP LOCKED}; the relay holds what it wrote). A row another relay holds,
     * sent, or already tried is left out.
     *
     * @return the ids locked, ascending
     * @throws UnsupportedOperationException when {@link #locksRows()} is false
     */
    List<Long> lockUnattempted(EntityManager em, Collection<Long> ids, Instant now);

    /**
     * As {@link #claimDue}, but the claim is this transaction's row lock (see {@link #lockIds}).
     *
     * @throws UnsupportedOperationException when {@link #locksRows()} is false
     */
    List<OutboxRecord> lockDue(EntityManager em, int limit, Instant now, Instant createdBefore, boolean perResource);

    /**
     * Finishes rows JetStream acknowledged, as {@code outbox.sent-rows} says: deletes them, or marks them
     * {@code sent} with {@code sent_at = now} and their stream sequence and releases their lease.
     */
    void finishSent(EntityManager em, Collection<Sent> sent, Instant now);

    /**
     * Records a failed attempt: attempts + 1, last error, next attempt at {@code retryAt}; or status
     * {@code failed} when {@code attempts + 1 >= maxAttempts}. Releases the lease. Only while the row is pending
     * and leased to {@code owner}, or to no one (a claim by row lock writes no lease): a relay whose lease ran out
     * and was taken over leaves the new holder's row alone.
     *
     * @param owner the relay that claimed the row (its name in the lease columns)
     */
    void markAttemptFailed(EntityManager em, long id, String owner, String error, Instant now, Instant retryAt,
                           int maxAttempts);

    /**
     * Records an attempt that JetStream did not answer (no connection, no responders): last error and next attempt
     * at {@code retryAt}, attempts unchanged, so an outage never turns rows {@code failed}. Releases the lease. Like
     * {@link #markAttemptFailed}, only while the row is pending and leased to {@code owner} or to no one.
     */
    void markAttemptUnanswered(EntityManager em, long id, String owner, String error, Instant retryAt);

    /**
     * Releases every lease {@code owner} holds on a pending row: at shut-down, the rows it claimed but did not
     * publish go to other relays at once instead of after their lease.
     *
     * @return how many rows were released
     */
    int release(EntityManager em, String owner);

    /** Rows with status {@code failed}, oldest first. */
    default List<OutboxRow> failed(EntityManager em, int limit) {
        return failed(em, FailedRows.ALL, 0, limit);
    }

    /** Failed rows that match and have an id above {@code afterId}, oldest (lowest id) first. */
    List<OutboxRow> failed(EntityManager em, FailedRows which, long afterId, int limit);

    /**
     * Puts up to {@code limit} failed rows that match and have an id above {@code afterId} back to pending with
     * their attempts reset, lowest ids first: one batch of a bulk retry.
     *
     * @return how many, and the highest id looked at (0 when none matched: the bulk retry is done)
     */
    Retried retryFailed(EntityManager em, FailedRows which, long afterId, int limit, Instant now);

    /** Puts a failed row back to pending with its attempts reset; false when there is no such failed row. */
    boolean retry(EntityManager em, String eventId, Instant now);

    /** Deletes a failed row; false when there is no such failed row. */
    boolean discard(EntityManager em, String eventId);

    /**
     * Deletes at most {@code limit} sent rows sent before {@code sentBefore}; returns how many. The retention
     * clean-up of {@code outbox.sent-rows=keep}.
     */
    int deleteSent(EntityManager em, Instant sentBefore, int limit);

    /** Pending rows and the creation time of the oldest, for health and metrics. */
    Backlog backlog(EntityManager em);

    /** A row JetStream acked. */
    record Sent(long id, long streamSequence) {
    }

    /** One batch of a bulk retry: rows put back to pending, and the highest id it looked at (0: none left). */
    record Retried(int count, long lastId) {
    }

    /** What is waiting. */
    record Backlog(long pending, Instant oldestCreatedAt, long failed) {
    }
}
