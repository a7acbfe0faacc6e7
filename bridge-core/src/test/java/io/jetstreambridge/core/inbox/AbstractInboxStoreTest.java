package io.jetstreambridge.core.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jetstreambridge.config.InboxSettings;
import io.jetstreambridge.consume.JetstreamEvent;
import io.jetstreambridge.consume.UnrecoverableEventException;
import io.jetstreambridge.envelope.Envelope;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.jta.TestDatabase;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The inbox store on a real database with the shipped DDL: the script creates exactly what the entity maps, and
 * the claim and failure rules hold. One subclass per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractInboxStoreTest {

    private static final Instant NOW = Instant.parse("2026-11-26T17:04:05Z");

    private final JpaHarness jpa;
    private final InboxStore store = new InboxStore(Clock.fixed(NOW, ZoneOffset.UTC));

    AbstractInboxStoreTest(TestDatabase database, String vendor) {
        jpa = JpaHarness.builder().database(database).entities(InboxEvent.class)
                .ddlResource("db/jetstream-bridge/" + vendor + "/V1__jetstream_bridge_inbox.sql").start();
    }

    @AfterAll
    void close() {
        jpa.close();
    }

    @BeforeEach
    void clean() {
        jpa.database().execute("DELETE FROM jetstream_bridge_inbox_events");
    }

    static JetstreamEvent event(String id, long deliveries) {
        return event(id, "invoice.created", "INV-1", "billing.sync.orders", deliveries);
    }

    static JetstreamEvent event(String id, String type, String resourceId, String subject, long deliveries) {
        Envelope envelope = new Envelope(id, 1, type, "billing", resourceId, "2026-11-26T17:04:05Z",
                "00ff00ff00ff00ff", null, JsonValue.EMPTY_JSON_OBJECT);
        return new JetstreamEvent(id, envelope, subject, "jetstream-bridge-stream", 42, deliveries,
                Map.of(), (payload, type2) -> null);
    }

    private boolean claim(String id, long deliveries) {
        return jpa.<Boolean>inTransaction(em -> store.claim(em, event(id, deliveries)));
    }

    @Test
    void firstClaimWinsAndASecondClaimOfTheSameIdIsRefused() {
        assertThat(claim("e-1", 1)).isTrue();
        assertThat(claim("e-1", 2)).isFalse();

        InboxEvent row = jpa.inTransaction(em -> store.find(em, "e-1"));
        assertThat(row.processed()).isTrue();
        assertThat(row.deliveries()).isEqualTo(1);
        assertThat(row.processedAt()).isEqualTo(NOW);
        assertThat(jpa.database().queryForLong("SELECT stream_seq FROM jetstream_bridge_inbox_events "
                + "WHERE event_id = 'e-1'")).isEqualTo(42);
    }

    @Test
    void aRolledBackClaimLeavesNoRow() throws Exception {
        jpa.userTransaction().begin();
        store.claim(jpa.entityManager(), event("e-2", 1));
        jpa.userTransaction().rollback();

        assertThat(jpa.database().countRows("jetstream_bridge_inbox_events")).isZero();
    }

    @Test
    void failuresAreCountedAndAFailedEventCanStillBeProcessed() {
        jpa.runInTransaction(em -> store.recordFailure(em, event("e-3", 1), new IllegalStateException("boom")));
        jpa.runInTransaction(em -> store.recordFailure(em, event("e-3", 2), new IllegalStateException("again")));

        InboxEvent failed = jpa.inTransaction(em -> store.find(em, "e-3"));
        assertThat(failed.status()).isEqualTo(InboxEvent.FAILED);
        assertThat(failed.attempts()).isEqualTo(2);
        assertThat(failed.lastError()).isEqualTo("java.lang.IllegalStateException: again");
        assertThat(failed.failedAt()).isEqualTo(NOW);

        assertThat(claim("e-3", 3)).isTrue();
        InboxEvent processed = jpa.inTransaction(em -> store.find(em, "e-3"));
        assertThat(processed.processed()).isTrue();
        assertThat(processed.attempts()).isEqualTo(2);
    }

    @Test
    void aFailureAfterProcessingDoesNotUndoIt() {
        claim("e-4", 1);
        jpa.runInTransaction(em -> store.recordFailure(em, event("e-4", 2), new IllegalStateException("late")));

        assertThat(jpa.inTransaction(em -> store.find(em, "e-4")).processed()).isTrue();
    }

    @Test
    void retentionDeletesProcessedAndFailedRowsPastTheirPeriodInBoundedBatches() {
        InboxStore earlier = new InboxStore(Clock.fixed(NOW.minusSeconds(3600), ZoneOffset.UTC));
        for (int i = 0; i < 5; i++) {
            String id = "old-" + i;
            jpa.<Boolean>inTransaction(em -> earlier.claim(em, event(id, 1)));
        }
        claim("recent", 1);
        jpa.runInTransaction(em -> earlier.recordFailure(em, event("old-failed", 1), new IllegalStateException()));
        jpa.runInTransaction(em -> store.recordFailure(em, event("recent-failed", 1), new IllegalStateException()));
        // moved from the Ruby gem's inbox: failed without a failure time
        java.sql.Timestamp hourAgo = java.sql.Timestamp.valueOf(
                java.time.LocalDateTime.ofInstant(NOW.minusSeconds(3600), ZoneOffset.UTC));
        jpa.database().execute("INSERT INTO jetstream_bridge_inbox_events (event_id, event_type, deliveries, status, "
                + "attempts, received_at, created_at, updated_at) VALUES ('gem-failed', 'order.created', 0, 'failed', "
                + "1, ?, ?, ?)", hourAgo, hourAgo, hourAgo);

        assertThat(jpa.<Integer>inTransaction(em -> store.deleteOld(em, NOW.minusSeconds(60), 2))).isEqualTo(2);
        long deleted = io.jetstreambridge.core.retention.BatchedDeletion.run(
                () -> jpa.<Integer>inTransaction(em -> store.deleteOld(em, NOW.minusSeconds(60), 2)), 2);

        assertThat(deleted).isEqualTo(5); // three processed, two failed
        assertThat(jpa.database().countRows("jetstream_bridge_inbox_events")).isEqualTo(2);
        assertThat(jpa.<InboxEvent>inTransaction(em -> store.find(em, "recent"))).isNotNull();
        assertThat(jpa.<InboxEvent>inTransaction(em -> store.find(em, "recent-failed"))).isNotNull();
        assertThat(jpa.<InboxEvent>inTransaction(em -> store.find(em, "old-failed"))).isNull();
        assertThat(jpa.<InboxEvent>inTransaction(em -> store.find(em, "gem-failed"))).isNull();
    }

    @Test
    void valuesLongerThanTheirColumnsAreUnrecoverableAndNothingIsWritten() {
        String fits = "x".repeat(InboxSettings.TEXT_COLUMN_LENGTH);
        String tooLong = "x".repeat(InboxSettings.TEXT_COLUMN_LENGTH + 1);
        assertThat(claim(fits, 1)).isTrue();
        List<JetstreamEvent> unfit = List.of(
                event(tooLong, "invoice.created", "INV-1", "billing.sync.orders", 1),
                event("type", tooLong, "INV-1", "billing.sync.orders", 1),
                event("resource", "invoice.created", tooLong, "billing.sync.orders", 1),
                // the subject {destination}.sync.{app} may be 516 characters by the naming rules
                event("subject", "invoice.created", "INV-1", "b".repeat(255) + ".sync." + "a".repeat(255), 1));

        for (JetstreamEvent event : unfit) {
            assertThatThrownBy(() -> jpa.inTransaction(em -> store.claim(em, event)))
                    .isInstanceOf(UnrecoverableEventException.class)
                    .hasMessageContaining("longer than the inbox column");
            assertThatThrownBy(() -> jpa.inTransaction(em -> store.claimAll(em, List.of(event("neighbour", 1), event))))
                    .isInstanceOf(UnrecoverableEventException.class);
            jpa.runInTransaction(em -> store.recordFailure(em, event, new IllegalStateException("x")));
        }

        assertThat(jpa.database().countRows("jetstream_bridge_inbox_events")).isEqualTo(1);
    }

    @Test
    void aBatchClaimSkipsProcessedAndRepeatedIdsAndClaimsTheRest() {
        claim("b-done", 1);
        jpa.runInTransaction(em -> store.recordFailure(em, event("b-failed", 1), new IllegalStateException("x")));
        var batch = java.util.List.of(event("b-1", 1), event("b-done", 2), event("b-failed", 2), event("b-1", 1),
                event("b-2", 1));

        var fresh = jpa.<java.util.List<JetstreamEvent>>inTransaction(em -> store.claimAll(em, batch));

        assertThat(fresh).extracting(JetstreamEvent::eventId).containsExactly("b-1", "b-failed", "b-2");
        assertThat(jpa.database().queryForLong("SELECT COUNT(*) FROM jetstream_bridge_inbox_events "
                + "WHERE status = 'processed'")).isEqualTo(4);
        InboxEvent retried = jpa.inTransaction(em -> store.find(em, "b-failed"));
        assertThat(retried.processed()).isTrue();
        assertThat(retried.attempts()).isEqualTo(1);
        assertThat(jpa.<java.util.List<JetstreamEvent>>inTransaction(em -> store.claimAll(em, batch))).isEmpty();
    }

    @Test
    void aBatchClaimLargerThanOneLockingReadClaimsEveryIdAndARollbackLeavesNoRow() throws Exception {
        var batch = java.util.stream.IntStream.range(0, InboxStore.CLAIM_CHUNK * 2 + 7)
                .mapToObj(i -> event("many-" + i, 1)).toList();
        jpa.userTransaction().begin();
        store.claimAll(jpa.entityManager(), batch);
        jpa.userTransaction().rollback();
        assertThat(jpa.database().countRows("jetstream_bridge_inbox_events")).isZero();

        assertThat(jpa.<java.util.List<JetstreamEvent>>inTransaction(em -> store.claimAll(em, batch))).hasSize(batch.size());
        assertThat(jpa.database().countRows("jetstream_bridge_inbox_events")).isEqualTo(batch.size());
        assertThat(jpa.<java.util.List<JetstreamEvent>>inTransaction(em -> store.claimAll(em, batch))).isEmpty();
    }

    @Test
    void longErrorsAreCutToTheColumn() {
        String huge = "x".repeat(10_000);
        jpa.runInTransaction(em -> store.recordFailure(em, event("e-5", 1), new IllegalStateException(huge)));

        assertThat(jpa.inTransaction(em -> store.find(em, "e-5")).lastError()).hasSize(InboxStore.MAX_ERROR_LENGTH);
    }

    @Test
    void concurrentClaimOfTheSameIdLetsOnlyOneCommit() throws Exception {
        CountDownLatch firstClaimed = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> jpa.inTransaction(em -> {
            boolean claimed = store.claim(em, event("e-6", 1));
            firstClaimed.countDown();
            await(releaseFirst);
            return claimed;
        }));
        await(firstClaimed);
        CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(
                () -> jpa.inTransaction(em -> store.claim(em, event("e-6", 1))));
        releaseFirst.countDown();

        assertThat(first.get(30, TimeUnit.SECONDS)).isTrue();
        // the second either waited and saw the committed row, or failed on the key, told apart as a conflict on
        // the inbox row (not a failure of the event): never a second processing
        Boolean secondClaimed;
        try {
            secondClaimed = second.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(InboxConflictException.class);
            assertThat(((InboxConflictException) e.getCause()).eventId()).isEqualTo("e-6");
            secondClaimed = null;
        }
        assertThat(Boolean.TRUE.equals(secondClaimed)).as("second claim processed the event too").isFalse();
        assertThat(jpa.database().countRows("jetstream_bridge_inbox_events")).isEqualTo(1);
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
