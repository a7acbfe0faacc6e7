package io.jetstreambridge.core.relay;

import io.jetstreambridge.core.outbox.OutboxRecord;
import io.jetstreambridge.core.outbox.OutboxStore;
import io.jetstreambridge.core.transaction.Transactions;
import jakarta.persistence.EntityManager;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * How a relay round holds its rows between claiming them and recording what JetStream said: the part of the relay
 * that depends on whether the database can skip locked rows ({@link OutboxStore#locksRows()}).
 */
interface RelayRounds {

    /**
     * Claims rows, publishes them with {@code publish} (which waits for the acks) and records the outcome with
     * {@code record}; {@code record} is not called when nothing was claimed.
     */
    <T> T run(Claim claim, Function<List<OutboxRecord>, T> publish, BiConsumer<EntityManager, T> record);

    /**
     * Row locks where the database has them, else leases.
     *
     * @param lease how long a leased claim lasts
     */
    static RelayRounds of(boolean rowLocks, OutboxStore store, Transactions transactions, Clock clock, String owner,
                          Duration lease) {
        return rowLocks ? new LockedRounds(store, transactions, clock) :
                new LeasedRounds(store, transactions, clock, owner, lease);
    }

    /**
     * Two transactions per round: the claim writes a lease and commits, the rows are published outside any
     * transaction, and a second transaction records the outcome (deletes or marks the sent rows). If the relay dies in between, the lease runs out
     * and another relay publishes the rows again (JetStream drops the copies inside its duplicate window). H2 and
     * Derby need it: they cannot skip locked rows, so a held lock would make other claimers wait.
     */
    record LeasedRounds(OutboxStore store, Transactions transactions, Clock clock, String owner, Duration lease)
            implements RelayRounds {

        @Override
        public <T> T run(Claim claim, Function<List<OutboxRecord>, T> publish, BiConsumer<EntityManager, T> record) {
            List<OutboxRecord> rows = transactions.inTransaction(
                    em -> claim.leased(store, em, owner, clock.instant(), lease));
            T outcome = publish.apply(rows);
            if (!rows.isEmpty()) {
                transactions.inTransaction(em -> {
                    record.accept(em, outcome);
                    return null;
                });
            }
            return outcome;
        }
    }

    /**
     * One transaction per round: the claim is the transaction's row locks ({@code FOR UPDATE SKIP LOCKED}), the
     * rows are published while it holds them and deleted (or marked sent) in it before it commits, so each row is
     * written once and
     * nothing needs a lease. If the relay dies before the commit, the database rolls the transaction back: the
     * rows are pending and free at once, and whoever publishes them again uses the same {@code Nats-Msg-Id}, which
     * JetStream drops inside its duplicate window. Concurrent relays skip the locked rows instead of waiting.
     */
    record LockedRounds(OutboxStore store, Transactions transactions, Clock clock) implements RelayRounds {

        @Override
        public <T> T run(Claim claim, Function<List<OutboxRecord>, T> publish, BiConsumer<EntityManager, T> record) {
            return transactions.inTransaction(em -> {
                List<OutboxRecord> rows = claim.locked(store, em, clock.instant());
                T outcome = publish.apply(rows);
                if (!rows.isEmpty()) {
                    record.accept(em, outcome);
                }
                return outcome;
            });
        }
    }
}
