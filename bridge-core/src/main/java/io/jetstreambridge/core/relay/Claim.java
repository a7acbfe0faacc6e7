package io.jetstreambridge.core.relay;

import io.jetstreambridge.core.outbox.OutboxRecord;
import io.jetstreambridge.core.outbox.OutboxStore;
import jakarta.persistence.EntityManager;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a relay round claims, whichever way {@link RelayRounds} holds the rows: rows it wrote and holds in memory
 * (the fast path) or due rows read from the table (the sweeper).
 */
interface Claim {

    /** Claims with a lease written to the rows. */
    List<OutboxRecord> leased(OutboxStore store, EntityManager em, String owner, Instant now, Duration lease);

    /** Claims with this transaction's row locks. */
    List<OutboxRecord> locked(OutboxStore store, EntityManager em, Instant now);

    /**
     * Rows the relay holds in memory as they were written (the fast path): only their ids are claimed, nothing is
     * read back, and the claimed ones are published from memory. A row another relay holds, sent or already tried
     * is not claimed, so not published.
     */
    static Claim written(Collection<OutboxRecord> rows) {
        Map<Long, OutboxRecord> byId = new HashMap<>();
        rows.forEach(row -> byId.put(row.id(), row));
        return new Claim() {
            @Override
            public List<OutboxRecord> leased(OutboxStore store, EntityManager em, String owner, Instant now,
                                             Duration lease) {
                return held(store.leaseUnattempted(em, byId.keySet(), owner, now, lease));
            }

            @Override
            public List<OutboxRecord> locked(OutboxStore store, EntityManager em, Instant now) {
                return held(store.lockUnattempted(em, byId.keySet(), now));
            }

            private List<OutboxRecord> held(List<Long> claimed) {
                return claimed.stream().sorted().map(byId::get).toList();
            }
        };
    }

    static Claim due(int limit, Instant createdBefore, boolean perResource) {
        return new Claim() {
            @Override
            public List<OutboxRecord> leased(OutboxStore store, EntityManager em, String owner, Instant now,
                                             Duration lease) {
                return store.claimDue(em, limit, owner, now, createdBefore, lease, perResource);
            }

            @Override
            public List<OutboxRecord> locked(OutboxStore store, EntityManager em, Instant now) {
                return store.lockDue(em, limit, now, createdBefore, perResource);
            }
        };
    }
}
