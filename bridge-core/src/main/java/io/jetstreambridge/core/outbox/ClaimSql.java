package io.jetstreambridge.core.outbox;

/**
 * The claim queries before the dialect finishes them ({@link OutboxDialect#claimQuery}): native SQL, since the
 * locking clause that makes them safe has no JPQL form. They select {@link #ID} (a lease follows) or {@link #RECORD}
 * (the row lock is the claim), with positional parameters: {@code ?1} now, {@code ?2} created-before (due claims) or
 * the ids from {@code ?2} on (id claims).
 */
final class ClaimSql {

    /** The id only: a lease is written next and the rows are read after it. */
    static final String ID = "o.id";

    /** What the relay publishes, in the column order {@link JpaOutboxStore} reads it. */
    static final String RECORD = "o.id, o.event_id, o.subject, o.payload, o.headers, o.resource_type, o.resource_id, "
            + "o.attempts";

    private static final String LEASE_FREE = "(o.claimed_until IS NULL OR o.claimed_until <= ?1)";

    /**
     * A row is held back when an older row of its resource is unfinished (pending, leased or not, or failed); rows
     * without a resource id are never held back.
     */
    private static final String OLDEST_OF_RESOURCE = " AND (o.resource_id IS NULL OR NOT EXISTS ("
            + "SELECT 1 FROM " + OutboxEvent.TABLE + " b WHERE b.resource_type = o.resource_type"
            + " AND b.resource_id = o.resource_id AND b.id < o.id"
            + " AND b.status IN ('" + OutboxEvent.PENDING + "', '" + OutboxEvent.FAILED + "')))";

    /**
     * The fast path publishes a row as it was written, from memory, which is the row as it is only while no attempt
     * changed it: a row another relay already tried follows its retry schedule instead.
     */
    static final String NEVER_ATTEMPTED = " AND o.attempts = 0";

    private ClaimSql() {
    }

    /**
     * Due rows: pending, next attempt reached ({@code ?1}), created before {@code ?2}, not leased; longest due
     * first. The order is the claim index's own ({@code status, next_attempt_at, id}), so a database that locks
     * every row it reads (InnoDB) reads only as many as the limit instead of locking all due rows for a sort.
     */
    static String due(String columns, boolean perResource) {
        return "SELECT " + columns + " FROM " + OutboxEvent.TABLE + " o WHERE o.status = '" + OutboxEvent.PENDING + "'"
                + " AND o.next_attempt_at <= ?1 AND o.created_at < ?2 AND " + LEASE_FREE
                + (perResource ? OLDEST_OF_RESOURCE : "")
                + " ORDER BY o.next_attempt_at, o.id";
    }

    /**
     * Of {@code count} given ids ({@code ?2} to {@code ?(count+1)}): those pending and not leased; with
     * {@code unattempted} only rows never attempted (see {@link #NEVER_ATTEMPTED}).
     */
    static String byIds(String columns, int count, boolean unattempted) {
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < count; i++) {
            in.append(i == 0 ? "?" : ", ?").append(i + 2);
        }
        return "SELECT " + columns + " FROM " + OutboxEvent.TABLE + " o WHERE o.id IN (" + in + ")"
                + " AND o.status = '" + OutboxEvent.PENDING + "' AND " + LEASE_FREE
                + (unattempted ? NEVER_ATTEMPTED : "")
                + " ORDER BY o.id";
    }
}
