package io.jetstreambridge.core.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

/**
 * What the fallback claim of databases without {@code SKIP LOCKED} (H2, Derby) must still guarantee: a claimer
 * that reaches rows another claim holds waits for it, then finds them leased and leaves them.
 */
abstract class AbstractConditionalClaimOutboxStoreTest extends AbstractOutboxStoreTest {

    AbstractConditionalClaimOutboxStoreTest(OutboxBackend backend) {
        super(backend);
        assertThat(backend.dialect().claimMode()).isEqualTo(ClaimMode.CONDITIONAL_UPDATE);
    }

    @Test
    void rowLockClaimsAreRefusedWithTheReason() {
        assertThat(store.locksRows()).isFalse();
        assertThatThrownBy(() -> tx.inTransaction(em -> store.lockDue(em, 10, NOW, GRACE, false)))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("cannot skip locked rows");
        assertThatThrownBy(() -> tx.inTransaction(em -> store.lockUnattempted(em, List.of(1L), NOW)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aClaimerThatRunsIntoAClaimInProgressWaitsAndThenLeavesItsRows() throws Exception {
        List<Long> ids = LongStream.range(0, 6).mapToObj(i -> append("e-" + i, "order", "O-" + i, T0)).toList();
        CountDownLatch firstClaimed = new CountDownLatch(1);
        CountDownLatch commitFirst = new CountDownLatch(1);
        CompletableFuture<List<OutboxRecord>> first = CompletableFuture.supplyAsync(() -> tx.inTransaction(em -> {
            List<OutboxRecord> claimed = store.claimDue(em, 3, "relay-1", NOW, GRACE, LEASE, false);
            firstClaimed.countDown();
            await(commitFirst); // holds its row locks, uncommitted
            return claimed;
        }));
        assertThat(firstClaimed.await(30, TimeUnit.SECONDS)).isTrue();

        FutureTask<List<OutboxRecord>> second = new FutureTask<>(() -> claimDue(10, "relay-2", NOW, false));
        Thread secondThread = new Thread(second, "second-claimer");
        secondThread.start();
        // the second claimer reaches the first's locked rows and waits in the database's lock manager
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> secondThread.getState() == Thread.State.TIMED_WAITING
                || secondThread.getState() == Thread.State.WAITING || second.isDone());
        commitFirst.countDown();

        assertThat(ids(first.get(30, TimeUnit.SECONDS))).containsExactlyElementsOf(ids.subList(0, 3));
        assertThat(ids(second.get(30, TimeUnit.SECONDS))).containsExactlyElementsOf(ids.subList(3, 6));
        assertThat(row(ids.get(0)).claimedBy()).isEqualTo("relay-1");
        assertThat(row(ids.get(5)).claimedBy()).isEqualTo("relay-2");
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
