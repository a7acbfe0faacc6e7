package io.jetstreambridge.core.outbox;

import jakarta.persistence.EntityManager;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * How a dialect turns candidate rows into claimed ones: the part of a claim that depends on whether the database can
 * skip locked rows.
 */
enum ClaimMode {

    /**
     * The candidates were selected {@code FOR UPDATE SKIP LOCKED}: this transaction holds their row locks, and a
     * concurrent claimer skipped them, so one statement leases them all.
     */
    SKIP_LOCKED(" FOR UPDATE SKIP LOCKED") {
        @Override
        List<Long> claim(EntityManager em, List<Long> candidates, String owner, LocalDateTime until,
                         LocalDateTime now, String condition) {
            for (List<Long> chunk : Ids.chunks(candidates)) {
                em.createQuery("UPDATE OutboxEvent e SET e.claimedBy = :owner, e.claimedUntil = :until "
                                + "WHERE e.id IN :ids")
                        .setParameter("owner", owner)
                        .setParameter("until", until)
                        .setParameter("ids", chunk)
                        .executeUpdate();
            }
            return candidates;
        }
    },

    /**
     * The candidates were read without a lock (H2 and Derby cannot skip locked rows): each is leased by a
     * conditional update that repeats the claim's conditions, and only rows whose update count is 1 are ours. A
     * concurrent claimer's update of the same row waits for this transaction's row lock and then finds the row
     * leased.
     */
    CONDITIONAL_UPDATE("") {
        @Override
        List<Long> claim(EntityManager em, List<Long> candidates, String owner, LocalDateTime until,
                         LocalDateTime now, String condition) {
            String jpql = "UPDATE OutboxEvent e SET e.claimedBy = :owner, e.claimedUntil = :until "
                    + "WHERE e.id = :id AND e.status = '" + OutboxEvent.PENDING + "' "
                    + "AND (e.claimedUntil IS NULL OR e.claimedUntil <= :now)" + condition;
            List<Long> claimed = new ArrayList<>(candidates.size());
            for (Long id : candidates) {
                int updated = em.createQuery(jpql)
                        .setParameter("owner", owner)
                        .setParameter("until", until)
                        .setParameter("id", id)
                        .setParameter("now", now)
                        .executeUpdate();
                if (updated == 1) {
                    claimed.add(id);
                }
            }
            return claimed;
        }
    };

    /** The sweeper's claim: only rows whose next attempt is due. */
    static final String DUE = " AND e.nextAttemptAt <= :now";

    /** The fast path's claim: only rows never attempted ({@link ClaimSql#NEVER_ATTEMPTED}). */
    static final String UNATTEMPTED = " AND e.attempts = 0";

    private final String lockClause;

    ClaimMode(String lockClause) {
        this.lockClause = lockClause;
    }

    /** What ends the candidate query: a row lock that skips rows other transactions hold, or nothing. */
    String lockClause() {
        return lockClause;
    }

    /**
     * Leases {@code candidates} (ascending ids) to {@code owner} until {@code until}.
     *
     * @param condition what the claim also requires, repeated by a conditional update as JPQL on {@code e}
     *                  ({@link #DUE}, {@link #UNATTEMPTED}, or empty)
     * @return the ids claimed, ascending
     */
    abstract List<Long> claim(EntityManager em, List<Long> candidates, String owner, LocalDateTime until,
                              LocalDateTime now, String condition);
}
