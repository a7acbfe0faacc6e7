package io.jetstreambridge.core.relay;

import io.jetstreambridge.core.outbox.OutboxStore;

/** How a relay round holds the rows it claimed until it has recorded what JetStream said ({@link RelayRounds}). */
public enum ClaimHold {

    /**
     * The claiming transaction's row locks ({@code FOR UPDATE SKIP LOCKED}), held while the rows are published:
     * one transaction per round. Needs a database that can skip locked rows ({@link OutboxStore#locksRows()}).
     */
    ROW_LOCKS,

    /** A lease written to the rows and committed, then a second transaction for the outcome (H2, Derby). */
    LEASES;

    /** Row locks where the store's database can skip locked rows, else leases. */
    public static ClaimHold bestFor(OutboxStore store) {
        return store.locksRows() ? ROW_LOCKS : LEASES;
    }
}
