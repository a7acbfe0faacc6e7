package io.jetstreambridge.core.outbox;

import io.jetstreambridge.config.OutboxSettings.SentRows;
import io.jetstreambridge.core.transaction.Transactions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

/**
 * The outbox store's contract on a real database with the shipped DDL, written once and run per database (one
 * subclass each). Time is passed in, so leases, retries and retention are tested without waiting.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractOutboxStoreTest {

    static final Instant T0 = Instant.parse("2026-11-26T17:00:00Z");
    static final Duration LEASE = Duration.ofSeconds(30);
    /** When the sweeper looks: ten seconds after T0, with rows created before T0 + 5 s past the grace period. */
    static final Instant NOW = T0.plusSeconds(10);
    static final Instant GRACE = T0.plusSeconds(5);

    final OutboxBackend backend;
    final Transactions tx;
    /**
     * Keeps sent rows ({@code outbox.sent-rows=keep}): most tests read a row's state after it was sent, as it is kept
     * then and as a table migrated from the Ruby gem holds it.
     */
    final JpaOutboxStore store;
    /** The default: a row JetStream acknowledged is deleted. */
    final JpaOutboxStore deleting;

    AbstractOutboxStoreTest(OutboxBackend backend) {
        this.backend = backend;
        this.tx = backend.transactions();
        this.store = new JpaOutboxStore(backend.dialect(), SentRows.KEEP);
        this.deleting = new JpaOutboxStore(backend.dialect());
    }

    @AfterAll
    void close() {
        backend.close();
    }

    @BeforeEach
    void clean() throws SQLException {
        try (Connection connection = backend.openConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM " + OutboxEvent.TABLE);
        }
    }

    // ------------------------------------------------------------------------------------------------ append

    @Test
    void appendWritesAPendingRowWithTheEnvelopeAndHeaders() {
        String body = "{\"event_id\":\"e-1\",\"payload\":{\"text\":\"" + "x".repeat(100_000) + "\"}}";
        Map<String, String> headers = Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                "x-note", "a \"quoted\" ü");
        long id = tx.inTransaction(em -> store.append(em, new NewOutboxEvent("e-1", "order.created", "order", "O-1",
                "shop.sync.billing", body, headers), T0)).getAsLong();

        Row row = row(id);
        assertThat(row.status()).isEqualTo("pending");
        assertThat(row.attempts()).isZero();
        assertThat(row.createdAt()).isEqualTo(T0);
        assertThat(row.nextAttemptAt()).isEqualTo(T0);
        assertThat(row.claimedBy()).isNull();
        assertThat(row.claimedUntil()).isNull();
        assertThat(row.sentAt()).isNull();
        assertThat(row.streamSeq()).isNull();
        assertThat(row.payload()).isEqualTo(body);
        assertThat(row.headers()).startsWith("{\"traceparent\":");

        List<OutboxRecord> claimed = claimIds(List.of(id), "relay-1", NOW);
        assertThat(claimed).containsExactly(new OutboxRecord(id, "e-1", "shop.sync.billing", body, headers, "order",
                "O-1", 0));
    }

    @Test
    void rowsAppendedInOneTransactionGetIdsInCallOrderKnownAfterCommit() {
        List<String> order = IntStream.range(0, 30).mapToObj(i -> "in-order-" + (i * 7919 % 30)).toList();
        List<LongSupplier> ids = tx.inTransaction(em -> order.stream()
                .map(eventId -> store.append(em, event(eventId, "order", "O-1"), T0)).toList());

        List<Long> written = ids.stream().map(LongSupplier::getAsLong).toList();
        assertThat(written).isSorted().doesNotHaveDuplicates();
        List<String> byId = tx.inTransaction(em -> em.createNativeQuery("SELECT event_id FROM "
                + "jetstream_bridge_outbox_events WHERE event_id LIKE 'in-order-%' ORDER BY id").getResultList())
                .stream().map(String::valueOf).toList();
        assertThat(byId).containsExactlyElementsOf(order);
    }

    @Test
    void anEventWithoutHeadersOrResourceIdKeepsNulls() {
        long id = tx.inTransaction(em -> store.append(em, new NewOutboxEvent("e-2", "ping", null, null, "s.ping",
                "{}", null), T0)).getAsLong();

        assertThat(row(id).headers()).isNull();
        assertThat(claimIds(List.of(id), "relay-1", NOW)).singleElement().satisfies(r -> {
            assertThat(r.headers()).isEmpty();
            assertThat(r.resourceType()).isNull();
            assertThat(r.resourceId()).isNull();
        });
    }

    @Test
    void aRolledBackAppendLeavesNoRow() {
        assertThatThrownBy(() -> tx.inTransaction(em -> {
            store.append(em, event("e-3", "order", "O-1"), T0);
            throw new IllegalStateException("the business transaction fails");
        })).hasMessageContaining("business transaction fails");

        assertThat(count()).isZero();
    }

    @Test
    void anEventIdIsAppendedOnlyOnce() {
        append("e-4", "order", "O-1", T0);

        assertThatThrownBy(() -> append("e-4", "order", "O-2", T0)).isInstanceOf(RuntimeException.class);
        assertThat(count()).isEqualTo(1);
    }

    @Test
    void idsGrowInAppendOrder() {
        long first = append("e-5", "order", "O-1", T0);
        long second = append("e-6", "order", "O-1", T0);

        assertThat(second).isGreaterThan(first);
    }

    // ------------------------------------------------------------------------------------------------ claimIds

    @Test
    void claimIdsTakesOnlyPendingRowsNobodyLeases() {
        long sent = append("e-a", "order", "O-1", T0);
        long leased = append("e-b", "order", "O-2", T0);
        long failed = append("e-c", "order", "O-3", T0);
        long free = append("e-d", "order", "O-4", T0);
        claimIds(List.of(sent), "other", T0);
        tx.inTransaction(em -> {
            store.finishSent(em, List.of(new OutboxStore.Sent(sent, 7)), T0);
            return null;
        });
        claimIds(List.of(leased), "other", T0);
        tx.inTransaction(em -> {
            store.markAttemptFailed(em, failed, "relay-1", "boom", T0, T0, 1);
            return null;
        });

        Instant now = T0.plusSeconds(1);
        assertThat(ids(claimIds(List.of(free, failed, leased, sent, 999_999L), "me", now))).containsExactly(free);
        Row row = row(free);
        assertThat(row.claimedBy()).isEqualTo("me");
        assertThat(row.claimedUntil()).isEqualTo(now.plus(LEASE));
        assertThat(claimIds(List.of(free), "other", now)).isEmpty();

        // both leases have ended: the rows are claimable again, in id order
        Instant later = now.plus(LEASE);
        assertThat(ids(claimIds(List.of(free, leased), "other", later))).containsExactly(leased, free);
        assertThat(row(free).claimedBy()).isEqualTo("other");
    }

    @Test
    void claimIdsOfNothingClaimsNothing() {
        assertThat(claimIds(List.of(), "me", NOW)).isEmpty();
    }

    @Test
    void claimIdsTakesLargeBatches() {
        List<Long> ids = insertPending(Ids.CHUNK * 2 + 3, T0);

        assertThat(ids(claimIds(ids, "me", NOW))).containsExactlyElementsOf(ids);
        assertThat(ids(claimIds(ids, "other", NOW))).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------ leaseUnattempted

    @Test
    void theFastPathsLeaseTakesOnlyPendingRowsNobodyLeasesOrTriedYet() {
        long sent = append("e-a", "order", "O-1", T0);
        long leased = append("e-b", "order", "O-2", T0);
        long tried = append("e-c", "order", "O-3", T0);
        long unanswered = append("e-d", "order", "O-4", T0);
        long free = append("e-e", "order", "O-5", T0);
        tx.inTransaction(em -> {
            store.finishSent(em, List.of(new OutboxStore.Sent(sent, 7)), T0);
            store.markAttemptFailed(em, tried, "relay-1", "refused", T0, T0, 5); // pending, attempts 1, due
            store.markAttemptUnanswered(em, unanswered, "relay-1", "no responders", T0); // attempts still 0
            return null;
        });
        claimIds(List.of(leased), "other", T0);

        Instant now = T0.plusSeconds(1);
        assertThat(leaseUnattempted(List.of(free, unanswered, tried, leased, sent, 999_999L), "me", now))
                .containsExactly(unanswered, free);
        assertThat(row(free).claimedBy()).isEqualTo("me");
        assertThat(row(free).claimedUntil()).isEqualTo(now.plus(LEASE));
        assertThat(row(tried).claimedBy()).as("a tried row follows its retry schedule").isNull();
        assertThat(leaseUnattempted(List.of(free), "other", now)).isEmpty();
        assertThat(leaseUnattempted(List.of(), "me", now)).isEmpty();
    }

    @Test
    void theFastPathsLeaseTakesLargeBatches() {
        List<Long> ids = insertPending(Ids.CHUNK * 2 + 3, T0);

        assertThat(leaseUnattempted(ids, "me", NOW)).containsExactlyElementsOf(ids);
        assertThat(leaseUnattempted(ids, "other", NOW)).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------ claimDue

    @Test
    void claimDueTakesTheOldestRowsUpToTheLimit() {
        List<Long> ids = LongStream.range(0, 5).mapToObj(i -> append("e-" + i, "order", "O-" + i, T0)).toList();

        assertThat(ids(claimDue(3, "relay-1", NOW, false))).containsExactlyElementsOf(ids.subList(0, 3));
        assertThat(ids(claimDue(3, "relay-2", NOW, false))).containsExactlyElementsOf(ids.subList(3, 5));
        assertThat(claimDue(3, "relay-3", NOW, false)).isEmpty();
    }

    @Test
    void claimDueTakesTheLongestDueRowsFirstAndReturnsThemById() {
        long retried = append("e-1", "order", "O-1", T0);
        long younger = append("e-2", "order", "O-2", T0.plusSeconds(1));
        long youngest = append("e-3", "order", "O-3", T0.plusSeconds(2));
        claimIds(List.of(retried), "relay-1", T0);
        tx.inTransaction(em -> {
            store.markAttemptFailed(em, retried, "relay-1", "nats down", T0, T0.plusSeconds(3), 5);
            return null;
        });

        assertThat(ids(claimDue(2, "relay-1", NOW, false))).containsExactly(younger, youngest);
        assertThat(ids(claimDue(2, "relay-1", NOW, false))).containsExactly(retried);
    }

    @Test
    void claimDueLeavesRowsYoungerThanTheGracePeriodToTheFastPath() {
        long id = append("e-1", "order", "O-1", GRACE);

        assertThat(claimDue(10, "relay-1", NOW, false)).isEmpty();
        assertThat(ids(tx.inTransaction(em -> store.claimDue(em, 10, "relay-1", NOW, GRACE.plusMillis(1), LEASE,
                false)))).containsExactly(id);
    }

    @Test
    void claimDueWaitsForTheNextAttempt() {
        long id = append("e-1", "order", "O-1", T0);
        claimIds(List.of(id), "relay-1", T0);
        Instant retryAt = NOW.plusSeconds(60);
        tx.inTransaction(em -> {
            store.markAttemptFailed(em, id, "relay-1", "nats down", NOW, retryAt, 5);
            return null;
        });

        assertThat(claimDue(10, "relay-1", retryAt.minusMillis(1), false)).isEmpty();
        assertThat(claimDue(10, "relay-1", retryAt, false)).singleElement()
                .satisfies(r -> assertThat(r.attempts()).isEqualTo(1));
    }

    @Test
    void aLeaseHoldsUntilItEndsThenAnotherRelayTakesTheRow() {
        long id = append("e-1", "order", "O-1", T0);
        assertThat(ids(claimDue(10, "relay-1", NOW, false))).containsExactly(id);

        assertThat(claimDue(10, "relay-2", NOW.plus(LEASE).minusMillis(1), false)).isEmpty();
        assertThat(ids(claimDue(10, "relay-2", NOW.plus(LEASE), false))).containsExactly(id);
        assertThat(row(id).claimedBy()).isEqualTo("relay-2");
        assertThat(row(id).claimedUntil()).isEqualTo(NOW.plus(LEASE).plus(LEASE));
    }

    @Test
    void concurrentClaimersNeverShareARow() throws Exception {
        List<Long> all = insertPending(120, T0);
        int claimers = 6;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(claimers);
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int n = 0; n < claimers; n++) {
                String owner = "relay-" + n;
                results.add(pool.submit(() -> {
                    assertThat(start.await(30, TimeUnit.SECONDS)).isTrue();
                    List<Long> mine = new ArrayList<>();
                    List<OutboxRecord> batch;
                    do {
                        batch = claimDue(4, owner, NOW, false);
                        mine.addAll(ids(batch));
                    } while (!batch.isEmpty());
                    return mine;
                }));
            }
            start.countDown();
            List<Long> claimed = new ArrayList<>();
            for (Future<List<Long>> result : results) {
                claimed.addAll(result.get(60, TimeUnit.SECONDS));
            }
            assertThat(claimed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(all);
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------------------------------------ per resource

    @Test
    void aRetryingRowHoldsBackLaterRowsOfItsResourceOnly() {
        long retrying = append("e-1", "order", "O-1", T0);
        long blocked = append("e-2", "order", "O-1", T0);
        long otherResource = append("e-3", "order", "O-2", T0);
        long noResourceId = append("e-4", "order", null, T0);
        long otherType = append("e-5", "invoice", "O-1", T0);
        claimIds(List.of(retrying), "relay-1", T0);
        tx.inTransaction(em -> {
            store.markAttemptFailed(em, retrying, "relay-1", "nats down", T0, NOW.plusSeconds(60), 5);
            return null;
        });

        assertThat(ids(claimDue(10, "relay-1", NOW, true))).containsExactly(otherResource, noResourceId, otherType);
        // without ordering the later row does not wait
        assertThat(ids(claimDue(10, "relay-2", NOW, false))).containsExactly(blocked);
    }

    @Test
    void aFailedRowHoldsBackItsResourceUntilRetriedOrDiscarded() {
        long first = append("e-1", "order", "O-1", T0);
        long second = append("e-2", "order", "O-1", T0);
        long third = append("e-3", "order", "O-1", T0);
        failForGood(first);

        assertThat(claimDue(10, "relay-1", NOW, true)).isEmpty();

        assertThat(retry("e-1", NOW)).isTrue();
        assertThat(ids(claimDue(10, "relay-1", NOW, true))).containsExactly(first);

        failForGood(first);
        assertThat(discard("e-1")).isTrue();
        assertThat(ids(claimDue(10, "relay-1", NOW, true))).containsExactly(second);

        markSent(second, 2, NOW);
        assertThat(ids(claimDue(10, "relay-1", NOW, true))).containsExactly(third);
    }

    @Test
    void aLeasedRowHoldsBackItsResourceUntilSent() {
        long first = append("e-1", "order", "O-1", T0);
        long second = append("e-2", "order", "O-1", T0);
        claimIds(List.of(first), "relay-1", NOW);

        assertThat(claimDue(10, "relay-2", NOW, true)).isEmpty();
        // the lease ends: the first row comes back, the second still waits behind it
        assertThat(ids(claimDue(10, "relay-2", NOW.plus(LEASE), true))).containsExactly(first);

        markSent(first, 1, NOW.plus(LEASE));
        assertThat(ids(claimDue(10, "relay-2", NOW.plus(LEASE), true))).containsExactly(second);
    }

    // ------------------------------------------------------------------------------------------------ outcomes

    @Test
    void finishSentDeletesTheAckedRowsByDefault() {
        long a = append("e-1", "order", "O-1", T0);
        long b = append("e-2", "order", "O-2", T0);
        long c = append("e-3", "order", "O-3", T0);
        long failed = append("e-4", "order", "O-4", T0);
        failForGood(failed);
        claimDue(10, "relay-1", NOW, false);

        tx.inTransaction(em -> {
            deleting.finishSent(em, List.of(new OutboxStore.Sent(a, 101), new OutboxStore.Sent(b, 102)), NOW);
            deleting.finishSent(em, List.of(), NOW);
            return null;
        });

        assertThat(deleting.sentRows()).isEqualTo(SentRows.DELETE);
        assertThat(remainingIds()).containsExactly(c, failed);
        assertThat(row(c).status()).isEqualTo("pending");
        assertThat(row(failed).status()).isEqualTo("failed");
    }

    @Test
    void aDeletedRowNoLongerHoldsBackItsResource() {
        long first = append("e-1", "order", "O-1", T0);
        long second = append("e-2", "order", "O-1", T0);
        assertThat(ids(claimDue(10, "relay-1", NOW, true))).containsExactly(first);

        tx.inTransaction(em -> {
            deleting.finishSent(em, List.of(new OutboxStore.Sent(first, 1)), NOW);
            return null;
        });

        assertThat(ids(claimDue(10, "relay-1", NOW, true))).containsExactly(second);
    }

    @Test
    void markSentRecordsTheSequenceAndReleasesTheLease() {
        long a = append("e-1", "order", "O-1", T0);
        long b = append("e-2", "order", "O-2", T0);
        long c = append("e-3", "order", "O-3", T0);
        claimDue(10, "relay-1", NOW, false);

        Instant acked = NOW.plusMillis(250);
        tx.inTransaction(em -> {
            store.finishSent(em, List.of(new OutboxStore.Sent(a, 101), new OutboxStore.Sent(b, 102)), acked);
            store.finishSent(em, List.of(), acked);
            return null;
        });

        for (long id : List.of(a, b)) {
            Row row = row(id);
            assertThat(row.status()).isEqualTo("sent");
            assertThat(row.sentAt()).isEqualTo(acked);
            assertThat(row.claimedBy()).isNull();
            assertThat(row.claimedUntil()).isNull();
        }
        assertThat(row(a).streamSeq()).isEqualTo(101);
        assertThat(row(b).streamSeq()).isEqualTo(102);
        assertThat(row(c).status()).isEqualTo("pending");
        assertThat(row(c).claimedBy()).isEqualTo("relay-1");
    }

    @Test
    void aFailedAttemptSchedulesARetryThenTheLastOneFailsTheRow() {
        long id = append("e-1", "order", "O-1", T0);
        claimIds(List.of(id), "relay-1", NOW);
        Instant retryAt = NOW.plusSeconds(2);
        tx.inTransaction(em -> {
            store.markAttemptFailed(em, id, "relay-1", "timeout", NOW, retryAt, 2);
            return null;
        });

        Row retrying = row(id);
        assertThat(retrying.status()).isEqualTo("pending");
        assertThat(retrying.attempts()).isEqualTo(1);
        assertThat(retrying.lastError()).isEqualTo("timeout");
        assertThat(retrying.nextAttemptAt()).isEqualTo(retryAt);
        assertThat(retrying.claimedBy()).isNull();
        assertThat(retrying.claimedUntil()).isNull();

        claimIds(List.of(id), "relay-1", retryAt);
        tx.inTransaction(em -> {
            store.markAttemptFailed(em, id, "relay-1", "x".repeat(5000), retryAt, retryAt.plusSeconds(4), 2);
            return null;
        });
        Row failed = row(id);
        assertThat(failed.status()).isEqualTo("failed");
        assertThat(failed.attempts()).isEqualTo(2);
        assertThat(failed.lastError()).hasSize(OutboxEvent.MAX_ERROR_LENGTH);
        assertThat(claimDue(10, "relay-1", retryAt.plusSeconds(60), false)).isEmpty();
    }

    @Test
    void aRelayWhoseLeaseRanOutAndWasTakenOverDoesNotMarkTheNewHoldersRow() {
        long id = append("e-lease", "order", "O-1", T0);
        assertThat(claimIds(List.of(id), "relay-1", NOW)).hasSize(1);
        Instant afterTheLease = NOW.plus(LEASE).plusSeconds(1);
        assertThat(claimIds(List.of(id), "relay-2", afterTheLease)).as("relay-2 takes the expired lease").hasSize(1);

        // relay-1's publish timed out long after its lease ran out: it records the failure late
        tx.inTransaction(em -> {
            store.markAttemptFailed(em, id, "relay-1", "late ack timeout", afterTheLease,
                    afterTheLease.plusSeconds(1), 1);
            return null;
        });

        Row taken = row(id);
        assertThat(taken.status()).isEqualTo("pending");
        assertThat(taken.attempts()).isZero();
        assertThat(taken.lastError()).isNull();
        assertThat(taken.claimedBy()).as("relay-2's lease stands").isEqualTo("relay-2");
        assertThat(taken.claimedUntil()).isEqualTo(afterTheLease.plus(LEASE));

        tx.inTransaction(em -> {
            store.markAttemptFailed(em, id, "relay-2", "refused", afterTheLease, afterTheLease.plusSeconds(1), 1);
            return null;
        });
        assertThat(row(id).status()).as("the lease holder's own failure counts").isEqualTo("failed");
        assertThat(row(id).claimedBy()).isNull();
    }

    @Test
    void aFailedAttemptDoesNotUndoASendByAnotherRelay() {
        long id = append("e-1", "order", "O-1", T0);
        markSent(id, 5, NOW);

        tx.inTransaction(em -> {
            store.markAttemptFailed(em, id, "relay-1", "late", NOW, NOW.plusSeconds(1), 1);
            store.markAttemptFailed(em, 999_999L, "relay-1", "gone", NOW, NOW.plusSeconds(1), 1);
            return null;
        });

        assertThat(row(id).status()).isEqualTo("sent");
        assertThat(row(id).attempts()).isZero();
    }

    @Test
    void releaseFreesOnlyTheOwnersLeases() {
        long a = append("e-1", "order", "O-1", T0);
        long b = append("e-2", "order", "O-2", T0);
        long c = append("e-3", "order", "O-3", T0);
        claimIds(List.of(a, b), "relay-1", NOW);
        claimIds(List.of(c), "relay-2", NOW);

        int released = tx.inTransaction(em -> store.release(em, "relay-1"));

        assertThat(released).isEqualTo(2);

        assertThat(row(a).claimedBy()).isNull();
        assertThat(row(a).claimedUntil()).isNull();
        assertThat(row(c).claimedBy()).isEqualTo("relay-2");
        assertThat(ids(claimDue(10, "relay-3", NOW, false))).containsExactly(a, b);
    }

    // ------------------------------------------------------------------------------------------------ operators

    @Test
    void failedListsFailedRowsOldestFirst() {
        long first = append("e-1", "order", "O-1", T0);
        append("e-2", "order", "O-2", T0);
        long third = append("e-3", "order", "O-3", T0);
        long fourth = append("e-4", "order", "O-4", T0);
        for (long id : List.of(first, third, fourth)) {
            failForGood(id);
        }

        List<OutboxRow> failed = tx.inTransaction(em -> store.failed(em, 2));

        assertThat(failed).extracting(OutboxRow::id).containsExactly(first, third);
        assertThat(failed.get(0)).isEqualTo(new OutboxRow(first, "e-1", "order.created", "order", "O-1",
                "shop.sync.billing", "failed", 1, "rejected", T0, NOW.plusSeconds(1), null));
    }

    @Test
    void retryAndDiscardTouchOnlyFailedRows() {
        long pending = append("e-1", "order", "O-1", T0);
        long failed = append("e-2", "order", "O-2", T0);
        failForGood(failed);

        assertThat(retry("e-1", NOW)).isFalse();
        assertThat(retry("nope", NOW)).isFalse();
        assertThat(discard("e-1")).isFalse();
        assertThat(discard("nope")).isFalse();

        Instant retried = NOW.plusSeconds(30);
        assertThat(retry("e-2", retried)).isTrue();
        Row row = row(failed);
        assertThat(row.status()).isEqualTo("pending");
        assertThat(row.attempts()).isZero();
        assertThat(row.nextAttemptAt()).isEqualTo(retried);
        assertThat(row.lastError()).isEqualTo("rejected");
        assertThat(discard("e-2")).isFalse();

        failForGood(failed);
        assertThat(discard("e-2")).isTrue();
        assertThat(count()).isEqualTo(1);
        assertThat(row(pending).status()).isEqualTo("pending");
    }

    @Test
    void bulkRetryPutsBackOnlyMatchingFailedRowsBatchByBatchInIdOrder() {
        long oldOrder = append("e-1", "order", "O-1", T0.minusSeconds(3600));
        long pendingOrder = append("e-2", "order", "O-2", T0.minusSeconds(3600));
        long oldInvoice = append("e-3", "invoice", "I-1", T0.minusSeconds(3600));
        long newOrder = append("e-4", "order", "O-3", T0);
        long oldOrder2 = append("e-5", "order", "O-4", T0.minusSeconds(3600));
        for (long id : List.of(oldOrder, oldInvoice, newOrder, oldOrder2)) {
            failForGood(id);
        }
        FailedRows oldOrders = new FailedRows("order.created", T0.minusSeconds(60));

        assertThat(tx.<List<OutboxRow>>inTransaction(em -> store.failed(em, oldOrders, 0, 10))).extracting(OutboxRow::id)
                .containsExactly(oldOrder, oldOrder2);
        OutboxStore.Retried first = tx.inTransaction(em -> store.retryFailed(em, oldOrders, 0, 1, NOW));
        assertThat(first).isEqualTo(new OutboxStore.Retried(1, oldOrder));
        assertThat(row(oldOrder).status()).isEqualTo("pending");
        assertThat(row(oldOrder).attempts()).isZero();
        assertThat(row(oldOrder).nextAttemptAt()).isEqualTo(NOW);
        assertThat(row(oldOrder2).status()).isEqualTo("failed");

        OutboxStore.Retried second = tx.inTransaction(em -> store.retryFailed(em, oldOrders, first.lastId(), 1, NOW));
        assertThat(second).isEqualTo(new OutboxStore.Retried(1, oldOrder2));
        assertThat(tx.<OutboxStore.Retried>inTransaction(em -> store.retryFailed(em, oldOrders, second.lastId(), 1, NOW)))
                .isEqualTo(new OutboxStore.Retried(0, 0));
        assertThat(row(oldInvoice).status()).isEqualTo("failed");
        assertThat(row(newOrder).status()).isEqualTo("failed");
        assertThat(row(pendingOrder).status()).isEqualTo("pending");

        assertThat(tx.<OutboxStore.Retried>inTransaction(em -> store.retryFailed(em, FailedRows.ALL, 0, 10, NOW)))
                .isEqualTo(new OutboxStore.Retried(2, newOrder));
        assertThat(tx.<List<OutboxRow>>inTransaction(em -> store.failed(em, 10))).isEmpty();
    }

    @Test
    void deleteSentDeletesOnlyOldSentRowsInBoundedBatches() {
        Instant hour1 = T0.plusSeconds(3600);
        Instant hour3 = T0.plusSeconds(3 * 3600);
        long oldA = append("e-1", "order", "O-1", T0);
        long oldB = append("e-2", "order", "O-2", T0);
        long recent = append("e-3", "order", "O-3", T0);
        long pending = append("e-4", "order", "O-4", T0);
        long failed = append("e-5", "order", "O-5", T0);
        markSent(oldA, 1, hour1);
        markSent(oldB, 2, hour1);
        markSent(recent, 3, hour3);
        failForGood(failed);
        Instant cutOff = T0.plusSeconds(2 * 3600);

        assertThat(deleteSent(cutOff, 1)).isEqualTo(1);
        assertThat(count()).isEqualTo(4);
        assertThat(deleteSent(cutOff, 1)).isEqualTo(1);
        assertThat(deleteSent(cutOff, 1)).isZero();
        assertThat(remainingIds()).containsExactly(recent, pending, failed);

        assertThat(deleteSent(hour3.plusMillis(1), 100)).isEqualTo(1);
        assertThat(remainingIds()).containsExactly(pending, failed);
    }

    @Test
    void backlogCountsPendingAndFailedRows() {
        assertThat(tx.inTransaction(store::backlog)).isEqualTo(new OutboxStore.Backlog(0, null, 0));

        long sent = append("e-1", "order", "O-1", T0);
        append("e-2", "order", "O-2", T0.plusSeconds(1));
        long leased = append("e-3", "order", "O-3", T0.plusSeconds(2));
        long failed = append("e-4", "order", "O-4", T0.plusSeconds(3));
        markSent(sent, 1, NOW);
        claimIds(List.of(leased), "relay-1", NOW);
        failForGood(failed);

        assertThat(tx.inTransaction(store::backlog))
                .isEqualTo(new OutboxStore.Backlog(2, T0.plusSeconds(1), 1));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static NewOutboxEvent event(String eventId, String resourceType, String resourceId) {
        return new NewOutboxEvent(eventId, resourceType + ".created", resourceType, resourceId, "shop.sync.billing",
                "{\"event_id\":\"" + eventId + "\"}", Map.of());
    }

    long append(String eventId, String resourceType, String resourceId, Instant at) {
        return tx.inTransaction(em -> store.append(em, event(eventId, resourceType, resourceId), at)).getAsLong();
    }

    boolean retry(String eventId, Instant now) {
        return tx.<Boolean>inTransaction(em -> store.retry(em, eventId, now));
    }

    boolean discard(String eventId) {
        return tx.<Boolean>inTransaction(em -> store.discard(em, eventId));
    }

    int deleteSent(Instant sentBefore, int limit) {
        return tx.<Integer>inTransaction(em -> store.deleteSent(em, sentBefore, limit));
    }

    List<OutboxRecord> claimIds(Collection<Long> ids, String owner, Instant now) {
        return tx.inTransaction(em -> store.claimIds(em, ids, owner, now, LEASE));
    }

    List<OutboxRecord> claimDue(int limit, String owner, Instant now, boolean perResource) {
        return tx.inTransaction(em -> store.claimDue(em, limit, owner, now, GRACE, LEASE, perResource));
    }

    void markSent(long id, long sequence, Instant at) {
        tx.inTransaction(em -> {
            store.finishSent(em, List.of(new OutboxStore.Sent(id, sequence)), at);
            return null;
        });
    }

    /** One attempt with one allowed: the row fails for good, with error "rejected", retry at NOW + 1 s. */
    void failForGood(long id) {
        tx.inTransaction(em -> {
            store.markAttemptFailed(em, id, "relay-1", "rejected", NOW, NOW.plusSeconds(1), 1);
            return null;
        });
    }

    List<Long> leaseUnattempted(Collection<Long> ids, String owner, Instant now) {
        return tx.inTransaction(em -> store.leaseUnattempted(em, ids, owner, now, LEASE));
    }

    static List<Long> ids(List<OutboxRecord> records) {
        return records.stream().map(OutboxRecord::id).toList();
    }

    /** Inserts pending rows over plain JDBC in one batch (faster than the store for many rows); their ids. */
    List<Long> insertPending(int count, Instant createdAt) {
        Timestamp created = Timestamp.valueOf(OutboxEvent.utc(createdAt));
        try (Connection connection = backend.openConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO " + OutboxEvent.TABLE
                     + " (event_id, event_type, subject, payload, status, attempts, created_at, next_attempt_at)"
                     + " VALUES (?, 'bulk.created', 'shop.sync.billing', '{}', 'pending', 0, ?, ?)")) {
            for (int i = 0; i < count; i++) {
                insert.setString(1, "bulk-" + i);
                insert.setTimestamp(2, created);
                insert.setTimestamp(3, created);
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return remainingIds();
    }

    long count() {
        return query("SELECT COUNT(*) FROM " + OutboxEvent.TABLE, rows -> {
            rows.next();
            return rows.getLong(1);
        });
    }

    List<Long> remainingIds() {
        return query("SELECT id FROM " + OutboxEvent.TABLE + " ORDER BY id", rows -> {
            List<Long> ids = new ArrayList<>();
            while (rows.next()) {
                ids.add(rows.getLong(1));
            }
            return ids;
        });
    }

    /** The row as a plain connection sees it (committed state). */
    Row row(long id) {
        return query("SELECT * FROM " + OutboxEvent.TABLE + " WHERE id = " + id, rows -> {
            assertThat(rows.next()).as("row " + id + " exists").isTrue();
            long seq = rows.getLong("stream_seq");
            Long streamSeq = rows.wasNull() ? null : seq;
            return new Row(rows.getString("status"), rows.getInt("attempts"), rows.getString("last_error"),
                    instant(rows.getTimestamp("created_at")), instant(rows.getTimestamp("next_attempt_at")),
                    instant(rows.getTimestamp("claimed_until")), rows.getString("claimed_by"),
                    instant(rows.getTimestamp("sent_at")), streamSeq,
                    rows.getString("headers"), rows.getString("payload"));
        });
    }

    record Row(String status, int attempts, String lastError, Instant createdAt, Instant nextAttemptAt,
               Instant claimedUntil, String claimedBy, Instant sentAt, Long streamSeq, String headers,
               String payload) {
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toLocalDateTime().toInstant(ZoneOffset.UTC);
    }

    interface RowsReader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    <T> T query(String sql, RowsReader<T> reader) {
        try (Connection connection = backend.openConnection();
             PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            return reader.read(rows);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
