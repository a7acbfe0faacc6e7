package io.jetstreambridge.outbox;

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
 * <p>Rows move {@code pending} → {@code sent}, or → {@code failed} after the maximum attempts. A claim is a lease:
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
     * As {@link #claimDue}, but the claim is this transaction's row lock (see {@link #lockIds}).
     *
     * @throws UnsupportedOperationException when {@link #locksRows()} is false
     */
    List<OutboxRecord> lockDue(EntityManager em, int limit, Instant now, Instant createdBefore, boolean perResource);

    /** Marks rows sent (JetStream acked them) and releases their lease. */
    void markSent(EntityManager em, Collection<Sent> sent, Instant now);

    /**
     * Records a failed attempt: attempts + 1, last error, next attempt at {@code retryAt}; or status
     * {@code failed} when {@code attempts + 1 >= maxAttempts}. Releases the lease.
     */
    void markAttemptFailed(EntityManager em, long id, String error, Instant now, Instant retryAt, int maxAttempts);

    /**
     * Records an attempt that JetStream did not answer (no connection, a timeout, no responders): last error and
     * next attempt at {@code retryAt}, attempts unchanged, so an outage never turns rows {@code failed}. Releases
     * the lease. Does nothing to a row that is no longer pending.
     */
    void markAttemptUnanswered(EntityManager em, long id, String error, Instant retryAt);

    /** Releases leases of rows this owner claimed but did not publish (shut-down), so others may take them. */
    void release(EntityManager em, Collection<Long> ids, String owner);

    /** Rows with status {@code failed}, oldest first. */
    List<OutboxRow> failed(EntityManager em, int limit);

    /** Puts a failed row back to pending with its attempts reset; false when there is no such failed row. */
    boolean retry(EntityManager em, String eventId, Instant now);

    /** Deletes a failed row; false when there is no such failed row. */
    boolean discard(EntityManager em, String eventId);

    /** Deletes at most {@code limit} sent rows sent before {@code sentBefore}; returns how many. */
    int deleteSent(EntityManager em, Instant sentBefore, int limit);

    /** Pending rows and the creation time of the oldest, for health and metrics. */
    Backlog backlog(EntityManager em);

    /** A row JetStream acked. */
    record Sent(long id, long streamSequence) {
    }

    /** What is waiting. */
    record Backlog(long pending, Instant oldestCreatedAt, long failed) {
    }
}
