package io.jetstreambridge.core.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.testing.fakes.FakeMessage;
import io.jetstreambridge.testing.fakes.Journal;
import io.jetstreambridge.testing.fakes.ManualScheduler;
import io.jetstreambridge.testing.fakes.RecordingJetStream;
import io.jetstreambridge.topology.Topology;
import io.nats.client.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fast unit tests of the keep-alive around a batch, with fake messages (nothing here is about the server): whatever
 * ends a batch early leaves none of its messages beating.
 */
class KeepAliveTest {

    private static final ScheduledExecutorService SCHEDULER = Executors.newScheduledThreadPool(1);
    private static final Topology TOPOLOGY = MessageProcessorTest.TOPOLOGY;

    @AfterAll
    static void stopScheduler() {
        SCHEDULER.shutdownNow();
    }

    private final Journal journal = new Journal();

    /** A JetStream message whose ack throws as on a closing connection. */
    private FakeMessage message(long sequence) {
        return FakeMessage.event(sequence, 1, journal).ackFails(new IllegalStateException("Connection is Closed"));
    }

    private MessageProcessor processor(DeliveryHandler handler) {
        return MessageProcessorTest.processor(TOPOLOGY, new RecordingJetStream(journal), handler, Set.of())
                .keepAlive(new KeepAlive(SCHEDULER, Duration.ofMillis(200), Duration.ofSeconds(30)))
                .build();
    }

    @Test
    void anAckFailingMidBatchLeavesNoMessageOfTheBatchKeptAlive() {
        List<FakeMessage> batch = List.of(message(1), message(2), message(3));
        MessageProcessor processor = processor(event -> { });

        Throwable failure = catchThrowable(() -> processor.processAll(batch.stream().map(Message.class::cast).toList(),
                () -> true));

        assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessageContaining("Closed");
        int[] beatsAtFailure = batch.stream().mapToInt(m -> m.inProgressCount()).toArray();
        // keep-alives beat every 100 ms here: one still running would have beaten a few times within 700 ms
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() ->
                batch.stream().mapToInt(m -> m.inProgressCount()).sum() <= sum(beatsAtFailure) + batch.size());
    }

    @Test
    void aBatchHandlerFailingWithAnErrorLeavesNoMessageKeptAliveAndTriesEachAlone() {
        List<FakeMessage> batch = List.of(message(1), message(2));
        AtomicInteger alone = new AtomicInteger();
        BatchDeliveryHandler handler = new BatchDeliveryHandler() {
            @Override
            public void handle(io.jetstreambridge.consume.JetstreamEvent event) {
                alone.incrementAndGet();
                throw new StackOverflowError();
            }

            @Override
            public void handleAll(List<io.jetstreambridge.consume.JetstreamEvent> events,
                                  java.util.function.Function<io.jetstreambridge.consume.JetstreamEvent,
                                          io.jetstreambridge.core.telemetry.ProcessObservation.Current> current) {
                throw new StackOverflowError();
            }
        };

        processor(handler).processAll(batch.stream().map(Message.class::cast).toList(), () -> true);

        assertThat(alone).hasValue(2);
        assertThat(journal.entries()).containsExactly("nak 1 PT1S", "nak 2 PT1S");
        int beats = batch.stream().mapToInt(m -> m.inProgressCount()).sum();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() ->
                batch.stream().mapToInt(m -> m.inProgressCount()).sum() <= beats + batch.size());
    }

    @Test
    void aMessageIsBeatenEveryIntervalUntilClosedByOneSweep() {
        FakeMessage message = message(1);
        KeepAlive keepAlive = new KeepAlive(SCHEDULER, Duration.ofMillis(200), Duration.ofSeconds(30));

        KeepAlive.Beat beat = keepAlive.start(message);

        assertThat(message.inProgressCount()).isZero(); // the first beat comes after one interval (100 ms)
        await().atMost(Duration.ofSeconds(3)).until(() -> message.inProgressCount() >= 3);
        beat.close();
        int beats = message.inProgressCount();
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() ->
                message.inProgressCount() <= beats + 1);
    }

    @Test
    void beatsStopOnceTheProcessingTimeoutHasPassed() {
        FakeMessage message = message(1);
        KeepAlive keepAlive = new KeepAlive(SCHEDULER, Duration.ofMillis(200), Duration.ofMillis(350));

        KeepAlive.Beat beat = keepAlive.start(message);

        await().pollDelay(Duration.ofMillis(700)).until(() -> true); // twice the timeout, never renewed
        int beats = message.inProgressCount();
        assertThat(beats).isBetween(1, 4); // 350 ms at one beat per 100 ms
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() ->
                message.inProgressCount() == beats);
        assertThat(beat.renew()).isFalse();
    }

    @Test
    void renewingABatchGivesEveryMessageOfItAFreshTimeoutAtOnce() {
        List<FakeMessage> messages = List.of(message(1), message(2), message(3));
        KeepAlive keepAlive = new KeepAlive(SCHEDULER, Duration.ofMillis(200), Duration.ofSeconds(1));

        try (KeepAlive.Batch batch = keepAlive.startAll(messages.stream().map(Message.class::cast).toList())) {
            long start = System.nanoTime();
            while (System.nanoTime() - start < Duration.ofMillis(2500).toNanos()) { // well past one timeout
                await().pollDelay(Duration.ofMillis(200)).until(() -> true);
                batch.renew();
            }
            assertThat(batch.get(0).renew()).isTrue();
            assertThat(batch.get(2).renew()).isTrue();
            assertThat(messages).allMatch(m -> m.inProgressCount() >= 10, "beaten throughout");

            batch.get(1).close(); // handled: the others go on
            int closed = messages.get(1).inProgressCount();
            int others = messages.get(0).inProgressCount();
            batch.renew();
            await().atMost(Duration.ofSeconds(3)).until(() -> messages.get(0).inProgressCount() >= others + 3);
            assertThat(messages.get(1).inProgressCount()).isLessThanOrEqualTo(closed + 1);

            await().pollDelay(Duration.ofMillis(1300)).until(() -> true); // no renewal for longer than the timeout
            assertThat(batch.get(0).renew()).isFalse();
            assertThat(batch.get(2).renew()).isFalse();
        }
    }

    @Test
    void aHeldMessageIsBeatenAtOnceAndBeyondTheProcessingTimeout() {
        FakeMessage message = message(1);
        KeepAlive keepAlive = new KeepAlive(SCHEDULER, Duration.ofMillis(200), Duration.ofMillis(150));

        try (KeepAlive.Beat held = keepAlive.hold(message)) {
            assertThat(message.inProgressCount()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(3)).until(() -> message.inProgressCount() >= 5);
        }
    }

    @Test
    void oneSweepPerTickBeatsEveryMessageInsteadOfATimerPerMessage() {
        ManualScheduler scheduler = new ManualScheduler();
        KeepAlive keepAlive = new KeepAlive(scheduler, Duration.ofMillis(200), Duration.ofSeconds(30));
        List<FakeMessage> messages = List.of(message(1), message(2), message(3));

        List<KeepAlive.Beat> beats = messages.stream().map(keepAlive::start).toList();

        assertThat(scheduler.scheduled()).as("one sweep armed for all three").isEqualTo(1);
        await().pollDelay(keepAlive.interval()).until(() -> true); // every message is due now
        scheduler.runPending();
        assertThat(messages).allMatch(m -> m.inProgressCount() == 1, "each beaten once by the one sweep");
        assertThat(scheduler.pending()).as("the next tick, while messages are kept alive").isEqualTo(1);

        beats.forEach(KeepAlive.Beat::close);
        scheduler.runPending();
        assertThat(scheduler.pending()).as("no sweep while nothing is kept alive").isZero();
        assertThat(messages).allMatch(m -> m.inProgressCount() == 1, "no beat after close");
    }

    private static int sum(int[] values) {
        int sum = 0;
        for (int value : values) {
            sum += value;
        }
        return sum;
    }
}
