package io.jetstreambridge.core.transaction;

import jakarta.persistence.EntityManager;

import java.time.Duration;
import java.util.function.Function;

/**
 * Runs work in a transaction of its own with the application's entity manager: JTA in a container
 * ({@code UserTransaction}), the test harness in tests. The relay, the sweeper and the consumer's
 * {@code TransactionalDelivery} use nothing else.
 */
@FunctionalInterface
public interface Transactions {

    /** Commits when {@code work} returns; rolls back and rethrows (a checked failure wrapped) when it throws. */
    <T> T inTransaction(Function<EntityManager, T> work);

    /**
     * A unit of work whose failure the caller classifies (the consumer: retry, dead-letter, database outage): runs
     * {@code work} in a transaction of its own that lasts at most {@code timeout} (then the transaction manager
     * marks it rollback-only and the commit fails), commits it when the work returns, and when anything ends it
     * (what the work throws, checked exceptions and {@link Error}s included, or a commit that fails) rolls it back
     * and rethrows that failure as it is, never wrapped.
     *
     * <p>This default runs on {@link #inTransaction(Function)}, which rolls back on the way out, and does not bound
     * the time: right for RESOURCE_LOCAL transactions and test doubles. {@link JtaTransactions} applies the timeout.
     */
    default <T> T inTransactionWithin(Duration timeout, Work<T> work) throws Exception {
        try {
            return inTransaction(em -> {
                try {
                    return work.run(em);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception | Error e) { // carried through inTransaction, which then rolls back
                    throw new CarriedFailure(e);
                }
            });
        } catch (CarriedFailure carried) {
            return CarriedFailure.rethrow(carried);
        }
    }

    /** Work that may throw what it likes; see {@link #inTransactionWithin}. */
    @FunctionalInterface
    interface Work<T> {
        T run(EntityManager em) throws Exception;
    }
}
