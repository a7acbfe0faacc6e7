package io.jetstreambridge.core.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.topology.Topology;
import io.nats.client.JetStream;
import io.nats.client.Message;
import io.nats.client.impl.NatsJetStreamMetaData;
import io.nats.client.impl.NatsMessage;
import jakarta.json.spi.JsonProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
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
    private static final Topology TOPOLOGY = new Topology("jetstream-bridge-stream", "orders", "billing", true,
            null, null);

    @AfterAll
    static void stopScheduler() {
        SCHEDULER.shutdownNow();
    }

    /** A JetStream message that counts its in-progress acks; its ack throws as on a closing connection. */
    private static final class FakeMessage {
        final AtomicInteger inProgress = new AtomicInteger();
        final AtomicInteger naks = new AtomicInteger();
        final Message message;

        FakeMessage(long sequence) {
            String body = "{\"event_id\":\"e-" + sequence + "\",\"event_type\":\"invoice.created\","
                    + "\"schema_version\":1,\"payload\":{\"id\":" + sequence + "}}";
            String replyTo = "$JS.ACK.jetstream-bridge-stream.orders-workers.1." + sequence + "." + sequence
                    + ".1700000000000000000.0";
            // jnats reads the metadata off a JetStream message's reply subject
            NatsMessage delivered = new NatsMessage("billing.sync.orders", replyTo,
                    body.getBytes(StandardCharsets.UTF_8)) {
                @Override
                public boolean isJetStream() {
                    return true;
                }
            };
            message = (Message) Proxy.newProxyInstance(Message.class.getClassLoader(), new Class<?>[]{Message.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "inProgress" -> {
                            inProgress.incrementAndGet();
                            yield null;
                        }
                        case "ack", "ackSync" -> throw new IllegalStateException("Connection is Closed");
                        case "nak", "nakWithDelay" -> {
                            naks.incrementAndGet();
                            yield null;
                        }
                        case "getReplyTo" -> replyTo;
                        case "getSubject" -> "billing.sync.orders";
                        case "getData" -> body.getBytes(StandardCharsets.UTF_8);
                        case "isJetStream" -> true;
                        case "metaData" -> new NatsJetStreamMetaData(delivered);
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        case "toString" -> "fake message " + sequence;
                        default -> null;
                    });
        }
    }

    private static MessageProcessor processor(DeliveryHandler handler) {
        JetStream noDeadLetters = (JetStream) Proxy.newProxyInstance(JetStream.class.getClassLoader(),
                new Class<?>[]{JetStream.class}, (proxy, method, args) -> {
                    throw new IllegalStateException("no dead letters in this test");
                });
        JsonProvider json = JsonProvider.provider();
        return new MessageProcessor(TOPOLOGY, new EnvelopeCodec(json), handler,
                new FailureClassifier(3, List.of(), Set.of()),
                new DeadLetterPublisher(noDeadLetters, TOPOLOGY, json, Clock.systemUTC()),
                (payload, type) -> null,
                new KeepAlive(SCHEDULER, Duration.ofMillis(200), Duration.ofSeconds(30)));
    }

    @Test
    void anAckFailingMidBatchLeavesNoMessageOfTheBatchKeptAlive() {
        List<FakeMessage> batch = List.of(new FakeMessage(1), new FakeMessage(2), new FakeMessage(3));
        MessageProcessor processor = processor(event -> { });

        Throwable failure = catchThrowable(() -> processor.processAll(batch.stream().map(m -> m.message).toList(),
                () -> true));

        assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessageContaining("Closed");
        int[] beatsAtFailure = batch.stream().mapToInt(m -> m.inProgress.get()).toArray();
        // keep-alives beat every 100 ms here: one still running would have beaten a few times within 700 ms
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() ->
                batch.stream().mapToInt(m -> m.inProgress.get()).sum() <= sum(beatsAtFailure) + batch.size());
    }

    @Test
    void aBatchHandlerFailingWithAnErrorLeavesNoMessageKeptAliveAndTriesEachAlone() {
        List<FakeMessage> batch = List.of(new FakeMessage(1), new FakeMessage(2));
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

        processor(handler).processAll(batch.stream().map(m -> m.message).toList(), () -> true);

        assertThat(alone).hasValue(2);
        assertThat(batch).allMatch(m -> m.naks.get() == 1);
        int beats = batch.stream().mapToInt(m -> m.inProgress.get()).sum();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() ->
                batch.stream().mapToInt(m -> m.inProgress.get()).sum() <= beats + batch.size());
    }

    @Test
    void aMessageIsBeatenEveryIntervalUntilClosedByOneSweep() {
        FakeMessage message = new FakeMessage(1);
        KeepAlive keepAlive = new KeepAlive(SCHEDULER, Duration.ofMillis(200), Duration.ofSeconds(30));

        KeepAlive.Beat beat = keepAlive.start(message.message);

        assertThat(message.inProgress).hasValue(0); // the first beat comes after one interval (100 ms)
        await().atMost(Duration.ofSeconds(3)).until(() -> message.inProgress.get() >= 3);
        beat.close();
        int beats = message.inProgress.get();
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() ->
                message.inProgress.get() <= beats + 1);
    }

    @Test
    void beatsStopOnceTheProcessingTimeoutHasPassed() {
        FakeMessage message = new FakeMessage(1);
        KeepAlive keepAlive = new KeepAlive(SCHEDULER, Duration.ofMillis(200), Duration.ofMillis(350));

        KeepAlive.Beat beat = keepAlive.start(message.message);

        await().pollDelay(Duration.ofMillis(700)).until(() -> true); // twice the timeout, never renewed
        int beats = message.inProgress.get();
        assertThat(beats).isBetween(1, 4); // 350 ms at one beat per 100 ms
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() ->
                message.inProgress.get() == beats);
        assertThat(beat.renew()).isFalse();
    }

    @Test
    void renewingABatchGivesEveryMessageOfItAFreshTimeoutAtOnce() {
        List<FakeMessage> messages = List.of(new FakeMessage(1), new FakeMessage(2), new FakeMessage(3));
        KeepAlive keepAlive = new KeepAlive(SCHEDULER, Duration.ofMillis(200), Duration.ofSeconds(1));

        try (KeepAlive.Batch batch = keepAlive.startAll(messages.stream().map(m -> m.message).toList())) {
            long start = System.nanoTime();
            while (System.nanoTime() - start < Duration.ofMillis(2500).toNanos()) { // well past one timeout
                await().pollDelay(Duration.ofMillis(200)).until(() -> true);
                batch.renew();
            }
            assertThat(batch.get(0).renew()).isTrue();
            assertThat(batch.get(2).renew()).isTrue();
            assertThat(messages).allMatch(m -> m.inProgress.get() >= 10, "beaten throughout");

            batch.get(1).close(); // handled: the others go on
            int closed = messages.get(1).inProgress.get();
            int others = messages.get(0).inProgress.get();
            batch.renew();
            await().atMost(Duration.ofSeconds(3)).until(() -> messages.get(0).inProgress.get() >= others + 3);
            assertThat(messages.get(1).inProgress.get()).isLessThanOrEqualTo(closed + 1);

            await().pollDelay(Duration.ofMillis(1300)).until(() -> true); // no renewal for longer than the timeout
            assertThat(batch.get(0).renew()).isFalse();
            assertThat(batch.get(2).renew()).isFalse();
        }
    }

    @Test
    void aHeldMessageIsBeatenAtOnceAndBeyondTheProcessingTimeout() {
        FakeMessage message = new FakeMessage(1);
        KeepAlive keepAlive = new KeepAlive(SCHEDULER, Duration.ofMillis(200), Duration.ofMillis(150));

        try (KeepAlive.Beat held = keepAlive.hold(message.message)) {
            assertThat(message.inProgress).hasValue(1);
            await().atMost(Duration.ofSeconds(3)).until(() -> message.inProgress.get() >= 5);
        }
    }

    private static int sum(int[] values) {
        int sum = 0;
        for (int value : values) {
            sum += value;
        }
        return sum;
    }
}
