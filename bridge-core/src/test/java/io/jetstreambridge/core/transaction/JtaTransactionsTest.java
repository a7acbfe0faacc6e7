package io.jetstreambridge.core.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jetstreambridge.testing.jta.Narayana;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.UserTransaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

/** {@link JtaTransactions} on Narayana: a transaction of its own, never one inside the caller's. */
class JtaTransactionsTest {

    private final UserTransaction userTransaction = Narayana.userTransaction();
    // the work below never touches the entity manager
    private final JtaTransactions transactions = new JtaTransactions(userTransaction, () -> (EntityManager) null);

    @AfterEach
    void noTransactionLeft() throws Exception {
        if (userTransaction.getStatus() != Status.STATUS_NO_TRANSACTION) {
            userTransaction.rollback();
        }
    }

    @Test
    void runsTheWorkInATransactionOfItsOwnAndCommitsIt() throws Exception {
        int status = transactions.inTransaction(em -> statusNow());

        assertThat(status).isEqualTo(Status.STATUS_ACTIVE);
        assertThat(userTransaction.getStatus()).isEqualTo(Status.STATUS_NO_TRANSACTION);
    }

    @Test
    void aFailingWorkRollsBackItsOwnTransaction() throws Exception {
        assertThatThrownBy(() -> transactions.inTransaction(em -> {
            throw new IllegalArgumentException("boom");
        })).hasMessage("boom");

        assertThat(userTransaction.getStatus()).isEqualTo(Status.STATUS_NO_TRANSACTION);
    }

    @Test
    void insideTheCallersTransactionItRefusesWithoutTouchingThatTransaction() throws Exception {
        userTransaction.begin();
        AtomicBoolean ran = new AtomicBoolean();

        Throwable refused = catchThrowable(
                () -> transactions.inTransaction(em -> ran.getAndSet(true)));

        assertThat(userTransaction.getStatus()).as("the caller's transaction is left as it was")
                .isEqualTo(Status.STATUS_ACTIVE);
        assertThat(refused).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not begin a transaction inside the caller's");
        assertThat(ran).isFalse();
        userTransaction.commit();
    }

    private int statusNow() {
        try {
            return userTransaction.getStatus();
        } catch (jakarta.transaction.SystemException e) {
            throw new IllegalStateException(e);
        }
    }
}
