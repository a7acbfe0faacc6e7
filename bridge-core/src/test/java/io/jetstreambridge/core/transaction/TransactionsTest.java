package io.jetstreambridge.core.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jetstreambridge.testing.fakes.Journal;
import jakarta.transaction.RollbackException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

/**
 * The default {@link Transactions#inTransactionWithin} on a plain {@link Transactions#inTransaction} (RESOURCE_LOCAL,
 * test doubles): whatever ends the work rolls the transaction back and reaches the caller exactly as thrown.
 */
class TransactionsTest {

    private final Journal journal = new Journal();

    /** Like {@link ResourceLocalTransactions}: rolls back on a runtime exception only. */
    private final Transactions plain = new Transactions() {
        @Override
        public <T> T inTransaction(java.util.function.Function<jakarta.persistence.EntityManager, T> work) {
            journal.add("begin");
            try {
                T result = work.apply(null);
                journal.add("commit");
                return result;
            } catch (RuntimeException e) {
                journal.add("rollback");
                throw e;
            }
        }
    };

    @Test
    void aReturningWorkIsCommitted() throws Exception {
        String result = plain.inTransactionWithin(Duration.ofSeconds(1), em -> "done");

        assertThat(result).isEqualTo("done");
        assertThat(journal.entries()).containsExactly("begin", "commit");
    }

    @Test
    void aCheckedFailureIsRolledBackAndRethrownUnwrapped() {
        RollbackException failure = new RollbackException("timed out");

        Throwable thrown = catchThrowable(() -> plain.inTransactionWithin(Duration.ofSeconds(1), em -> {
            throw failure;
        }));

        assertThat(thrown).isSameAs(failure);
        assertThat(journal.entries()).containsExactly("begin", "rollback");
    }

    @Test
    void anErrorIsRolledBackAndRethrownUnwrapped() {
        StackOverflowError failure = new StackOverflowError();

        Throwable thrown = catchThrowable(() -> plain.inTransactionWithin(Duration.ofSeconds(1), em -> {
            throw failure;
        }));

        assertThat(thrown).isSameAs(failure);
        assertThat(journal.entries()).containsExactly("begin", "rollback");
    }

    @Test
    void aRuntimeFailureIsRethrownAsItIs() {
        IllegalStateException failure = new IllegalStateException("observer failed", new IOException("disk"));

        Throwable thrown = catchThrowable(() -> plain.inTransactionWithin(Duration.ofSeconds(1), em -> {
            throw failure;
        }));

        assertThat(thrown).isSameAs(failure);
        assertThat(journal.entries()).containsExactly("begin", "rollback");
    }
}
