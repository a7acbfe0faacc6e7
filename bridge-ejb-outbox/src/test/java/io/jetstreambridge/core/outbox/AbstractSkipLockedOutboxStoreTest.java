package io.jetstreambridge.core.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

/**
 * What databases with {@code FOR UPDATE SKIP LOCKED} add: a claim in progress is passed by, not waited for, by
 * another relay's claim, and rows it holds count as unfinished for per-resource ordering.
 */
abstract class AbstractSkipLockedOutboxStoreTest extends AbstractOutboxStoreTest {

    AbstractSkipLockedOutboxStoreTest(OutboxBackend backend) {
        super(backend);
        assertThat(backend.dialect().claimMode()).isEqualTo(ClaimMode.SKIP_LOCKED);
    }

    @Test
    void aClaimInProgressIsSkippedNotAwaited() throws Exception {
        List<Long> ids = LongStream.range(0, 6).mapToObj(i -> append("e-" + i, "order", "O-" + i, T0)).toList();
        CountDownLatch firstClaimed = new CountDownLatch(1);
        CountDownLatch secondDone = new CountDownLatch(1);
        CompletableFuture<List<OutboxRecord>> first = CompletableFuture.supplyAsync(() -> tx.inTransaction(em -> {
            List<OutboxRecord> claimed = store.claimDue(em, 3, "relay-1", NOW, GRACE, LEASE, false);
            firstClaimed.countDown();
            await(secondDone); // keeps its row locks, uncommitted, while the second claims
            return claimed;
        }));
        await(firstClaimed);

        List<OutboxRecord> second = claimDue(10, "relay-2", NOW, false);
        secondDone.countDown();

        assertThat(ids(second)).containsExactlyElementsOf(ids.subList(3, 6));
        assertThat(ids(first.get(30, TimeUnit.SECONDS))).containsExactlyElementsOf(ids.subList(0, 3));
        assertThat(row(ids.get(0)).claimedBy()).isEqualTo("relay-1");
        assertThat(row(ids.get(5)).claimedBy()).isEqualTo("relay-2");
    }

    @Test
    void aResourceWhoseOldestRowIsBeingClaimedIsHeldBack() throws Exception {
        long oldest = append("e-1", "order", "O-1", T0);
        append("e-2", "order", "O-1", T0);
        long other = append("e-3", "order", "O-2", T0);
        CountDownLatch firstClaimed = new CountDownLatch(1);
        CountDownLatch secondDone = new CountDownLatch(1);
        CompletableFuture<List<OutboxRecord>> first = CompletableFuture.supplyAsync(() -> tx.inTransaction(em -> {
            List<OutboxRecord> claimed = store.claimIds(em, List.of(oldest), "relay-1", NOW, LEASE);
            firstClaimed.countDown();
            await(secondDone);
            return claimed;
        }));
        await(firstClaimed);

        List<OutboxRecord> second = claimDue(10, "relay-2", NOW, true);
        secondDone.countDown();

        assertThat(ids(second)).containsExactly(other);
        assertThat(ids(first.get(30, TimeUnit.SECONDS))).containsExactly(oldest);
    }

    @Test
    void aRowLockClaimReadsWholeRowsWritesNothingAndIsPassedByAnotherClaim() throws Exception {
        assertThat(store.locksRows()).isTrue();
        List<Long> ids = LongStream.range(0, 6).mapToObj(i -> append("e-" + i, "order", "O-" + i, T0)).toList();
        CountDownLatch firstLocked = new CountDownLatch(1);
        CountDownLatch secondDone = new CountDownLatch(1);
        CompletableFuture<List<OutboxRecord>> first = CompletableFuture.supplyAsync(() -> tx.inTransaction(em -> {
            List<OutboxRecord> locked = store.lockDue(em, 3, NOW, GRACE, false);
            firstLocked.countDown();
            await(secondDone); // holds its row locks, uncommitted, while the second claims
            return locked;
        }));
        await(firstLocked);

        List<OutboxRecord> second = tx.inTransaction(em -> store.lockIds(em, ids, NOW));
        secondDone.countDown();

        List<OutboxRecord> firstRows = first.get(30, TimeUnit.SECONDS);
        assertThat(ids(firstRows)).containsExactlyElementsOf(ids.subList(0, 3));
        assertThat(ids(second)).containsExactlyElementsOf(ids.subList(3, 6));
        assertThat(firstRows.get(0)).isEqualTo(new OutboxRecord(ids.get(0), "e-0", "shop.sync.billing",
                "{\"event_id\":\"e-0\"}", Map.of(), "order", "O-0", 0));
        for (long id : ids) {
            assertThat(row(id).status()).isEqualTo("pending");
            assertThat(row(id).claimedBy()).as("a row lock writes no lease").isNull();
        }
    }

    @Test
    void aRowLockClaimTakesLeaseFreeDueRowsLongestDueFirstAndHoldsBackLaterRowsOfAResource() {
        long leased = append("e-1", "order", "O-1", T0);
        claimIds(List.of(leased), "relay-1", NOW);
        long laterOfLeased = append("e-2", "order", "O-1", T0);
        long young = append("e-3", "order", "O-3", GRACE.plusSeconds(1));
        long free = append("e-4", "order", "O-4", T0);

        assertThat(ids(tx.inTransaction(em -> store.lockDue(em, 10, NOW, GRACE, true)))).containsExactly(free);
        assertThat(ids(tx.inTransaction(em -> store.lockDue(em, 10, NOW, GRACE, false))))
                .containsExactly(laterOfLeased, free);
        assertThat(ids(tx.inTransaction(em -> store.lockIds(em, List.of(leased, young), NOW))))
                .containsExactly(young);
    }

    @Test
    void theFastPathsRowLockReadsOnlyIdsWritesNothingAndSkipsLockedSentAndTriedRows() throws Exception {
        List<Long> ids = LongStream.range(0, 6).mapToObj(i -> append("e-" + i, "order", "O-" + i, T0)).toList();
        tx.inTransaction(em -> {
            store.finishSent(em, List.of(new OutboxStore.Sent(ids.get(4), 7)), T0);
            store.markAttemptFailed(em, ids.get(5), "relay-1", "refused", T0, T0, 5);
            return null;
        });
        CountDownLatch firstLocked = new CountDownLatch(1);
        CountDownLatch secondDone = new CountDownLatch(1);
        CompletableFuture<List<OutboxRecord>> sweeper = CompletableFuture.supplyAsync(() -> tx.inTransaction(em -> {
            List<OutboxRecord> locked = store.lockDue(em, 2, NOW, GRACE, false);
            firstLocked.countDown();
            await(secondDone); // holds its row locks, uncommitted, while the fast path claims
            return locked;
        }));
        await(firstLocked);

        List<Long> fast = tx.inTransaction(em -> store.lockUnattempted(em, ids, NOW));
        secondDone.countDown();

        assertThat(ids(sweeper.get(30, TimeUnit.SECONDS))).containsExactlyElementsOf(ids.subList(0, 2));
        assertThat(fast).containsExactlyElementsOf(ids.subList(2, 4));
        for (long id : ids.subList(0, 4)) {
            assertThat(row(id).status()).isEqualTo("pending");
            assertThat(row(id).claimedBy()).as("a row lock writes no lease").isNull();
        }
        List<Long> none = tx.inTransaction(em -> store.lockUnattempted(em, List.of(), NOW));
        assertThat(none).isEmpty();
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
