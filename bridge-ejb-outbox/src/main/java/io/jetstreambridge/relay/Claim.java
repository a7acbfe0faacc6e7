package io.jetstreambridge.relay;

import io.jetstreambridge.outbox.OutboxRecord;
import io.jetstreambridge.outbox.OutboxStore;
import jakarta.persistence.EntityManager;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * What a relay round claims, whichever way {@link RelayRounds} holds the rows: given ids (the fast path) or due
 * rows (the sweeper).
 */
interface Claim {

    /** Claims with a lease written to the rows. */
    List<OutboxRecord> leased(OutboxStore store, EntityManager em, String owner, Instant now, Duration lease);

    /** Claims with this transaction's row locks. */
    List<OutboxRecord> locked(OutboxStore store, EntityManager em, Instant now);

    static Claim ids(Collection<Long> ids) {
        return new Claim() {
            @Override
            public List<OutboxRecord> leased(OutboxStore store, EntityManager em, String owner, Instant now,
                                             Duration lease) {
                return store.claimIds(em, ids, owner, now, lease);
            }

            @Override
            public List<OutboxRecord> locked(OutboxStore store, EntityManager em, Instant now) {
                return store.lockIds(em, ids, now);
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
