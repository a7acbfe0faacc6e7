package io.jetstreambridge.core.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.core.outbox.NewOutboxEvent;
import io.jetstreambridge.core.outbox.OutboxRecord;
import io.jetstreambridge.core.outbox.OutboxStore;
import io.jetstreambridge.core.publish.FakeJetStream;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.LongStream;

/**
 * The fast path's queue without a server or a database: a relay over a store that records which row ids each round
 * claims (and claims none, so nothing is published), and an executor whose tasks the test runs itself.
 */
class FastPathTest {

    /** Each round's claimed ids: what the fast path handed to the relay. */
    private final List<List<Long>> rounds = new CopyOnWriteArrayList<>();
    private final List<Runnable> tasks = new ArrayList<>();
    private final List<RuntimeException> failures = new ArrayList<>();
    private final FakeJetStream nats = new FakeJetStream();
    private volatile RuntimeException storeFailure;

    private final OutboxRelay relay = OutboxRelay.builder().store(recordingStore()).transactions(this::noTransaction)
            .jetStream(nats.jetStream(), () -> true).stream("ORDERS")
            .settings(BridgeConfig.builder().appName("orders").destinationApp("billing").build().outbox())
            .ackTimeout(Duration.ofSeconds(1)).window(16).owner("relay-test").claimHold(ClaimHold.ROW_LOCKS).build();

    private <T> T noTransaction(java.util.function.Function<jakarta.persistence.EntityManager, T> work) {
        return work.apply(null);
    }

    /** Records the ids of each fast-path claim and claims none of them (as if another relay held them). */
    private OutboxStore recordingStore() {
        return (OutboxStore) Proxy.newProxyInstance(OutboxStore.class.getClassLoader(),
                new Class<?>[] {OutboxStore.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "locksRows":
                            return true;
                        case "lockUnattempted":
                            RuntimeException failure = storeFailure;
                            storeFailure = null;
                            if (failure != null) {
                                throw failure;
                            }
                            @SuppressWarnings("unchecked")
                            Collection<Long> ids = (Collection<Long>) args[1];
                            rounds.add(ids.stream().sorted().toList());
                            return List.of();
                        default:
                            throw new AssertionError("not expected of the fast path: " + method.getName());
                    }
                });
    }

    private FastPath fastPath(int batchSize, int maxQueued, long maxQueuedChars, Executor executor) {
        return FastPath.builder().relay(relay).executor(executor).batchSize(batchSize).maxQueued(maxQueued)
                .maxQueuedChars(maxQueuedChars).onFailure(failures::add).build();
    }

    private FastPath fastPath(int batchSize, int maxQueued, long maxQueuedChars) {
        return fastPath(batchSize, maxQueued, maxQueuedChars, tasks::add);
    }

    private void runTasks() {
        while (!tasks.isEmpty()) {
            tasks.remove(0).run();
        }
    }

    private static OutboxRecord row(long id, String body) {
        return OutboxRecord.written(id, new NewOutboxEvent("evt-" + id, "order.created", "order", String.valueOf(id),
                "orders.sync.billing", body, Map.of("h", "v")));
    }

    private static List<OutboxRecord> rows(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(id -> row(id, "{}")).toList();
    }

    private List<Long> handedOver() {
        return rounds.stream().flatMap(List::stream).toList();
    }

    @Test
    void rowsWaitingAreRelayedInRoundsOfTheBatchSizeByOneDrain() {
        FastPath fastPath = fastPath(10, 1_000, FastPath.DEFAULT_MAX_QUEUED_CHARS);

        fastPath.committed(rows(1, 15));
        fastPath.committed(rows(16, 25));

        assertThat(tasks).hasSize(1); // one drain for both commits
        runTasks();
        assertThat(rounds).extracting(List::size).containsExactly(10, 10, 5);
        assertThat(handedOver()).containsExactlyElementsOf(LongStream.rangeClosed(1, 25).boxed().toList());
        assertThat(nats.sent()).isEmpty();
        assertThat(failures).isEmpty();
    }

    @Test
    void rowsBeyondTheQueueBoundAreLeftToTheSweeper() {
        FastPath fastPath = fastPath(500, 25, FastPath.DEFAULT_MAX_QUEUED_CHARS);

        fastPath.committed(rows(1, 30));
        runTasks();

        assertThat(handedOver()).containsExactlyElementsOf(LongStream.rangeClosed(1, 25).boxed().toList());

        // the drain emptied the queue: room again for as many
        fastPath.committed(rows(31, 60));
        runTasks();
        assertThat(handedOver()).hasSize(50).endsWith(55L);
    }

    @Test
    void rowsBeyondTheCharacterBudgetAreLeftToTheSweeper() {
        OutboxRecord big = row(1, "x".repeat(1_000));
        long weight = FastPath.charsOf(big);
        assertThat(weight).isEqualTo(1_000 + "orders.sync.billing".length() + "evt-1".length() + 2);
        FastPath fastPath = fastPath(500, 1_000, 2 * weight + 10);

        fastPath.committed(List.of(big, row(2, "x".repeat(1_000)), row(3, "x".repeat(1_000)), row(4, "{}")));
        runTasks();

        // the third row does not fit, and neither does anything after it in that commit
        assertThat(handedOver()).containsExactly(1L, 2L);

        fastPath.committed(List.of(row(5, "x".repeat(1_000)), row(6, "x".repeat(1_000))));
        runTasks();
        assertThat(handedOver()).containsExactly(1L, 2L, 5L, 6L);
    }

    @Test
    void aFailedRoundIsReportedAndTheDrainGoesOnWithTheNextRound() {
        FastPath fastPath = fastPath(5, 1_000, FastPath.DEFAULT_MAX_QUEUED_CHARS);
        storeFailure = new IllegalStateException("database away");

        fastPath.committed(rows(1, 12));
        runTasks();

        assertThat(failures).singleElement().extracting(Throwable::getMessage).isEqualTo("database away");
        assertThat(handedOver()).containsExactly(6L, 7L, 8L, 9L, 10L, 11L, 12L);
    }

    @Test
    void anExecutorThatRefusesIsReportedAndTheNextCommitTriesAgain() {
        List<Runnable> accepted = new ArrayList<>();
        boolean[] refuse = {true};
        FastPath fastPath = fastPath(500, 1_000, FastPath.DEFAULT_MAX_QUEUED_CHARS, task -> {
            if (refuse[0]) {
                throw new RejectedExecutionException("shutting down");
            }
            accepted.add(task);
        });

        fastPath.committed(rows(1, 2));
        assertThat(failures).singleElement().isInstanceOf(RejectedExecutionException.class);
        assertThat(rounds).isEmpty();

        refuse[0] = false;
        fastPath.committed(rows(3, 3));
        accepted.forEach(Runnable::run);
        assertThat(handedOver()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void whileTheRelayIsPausedRowsStayPendingForTheSweeper() {
        OutboxRelay offline = OutboxRelay.builder().store(recordingStore()).transactions(this::noTransaction)
                .jetStream(nats.jetStream(), () -> false).stream("ORDERS")
                .settings(BridgeConfig.builder().appName("orders").destinationApp("billing").build().outbox())
                .ackTimeout(Duration.ofSeconds(1)).window(16).owner("relay-test").build();
        FastPath fastPath = FastPath.builder().relay(offline).executor(tasks::add).batchSize(500).maxQueued(1_000)
                .onFailure(failures::add).build();

        fastPath.committed(rows(1, 3));
        runTasks();

        assertThat(rounds).isEmpty(); // nothing claimed: the rows stay pending in the table
        assertThat(failures).isEmpty();
    }
}
