package io.jetstreambridge.core.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.core.connection.NatsConnector;
import io.jetstreambridge.core.publish.JetStreamPublisher;
import io.jetstreambridge.core.topology.StreamProvisioner;
import io.jetstreambridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The F6 situation at engine level, with F6's settings: many events whose observer always fails, two workers
 * fetching batches of 50, back-off {@code 200ms,500ms,1s,2s}. Every event must end in the dead-letter subject;
 * none may stay in the work queue after the server's {@code max_deliver} is used up.
 * <p>
 * With the durable's {@code max_deliver} equal to {@code consumer.max-deliver} this failed in 4 of 6 runs with
 * these settings (1 to 4 events stuck, of 300 and of 600): the observers saw deliveries 1 to 4, the server's
 * max-deliveries advisory said 5. It is a race, so it cannot fail every time;
 * {@code PullConsumerEngineTest.lostLastDeliveryIsRedeliveredAndDeadLettered} loses the last delivery on purpose.
 * nats-server 2.9 counts a redelivery it never sends when the pull request it picked for it has just expired
 * ({@code loopAndGatherMsgs}, "We will redo this one"), so the delivery the client would dead-letter on can be
 * one it never receives. Spare deliveries on the server bring the event back.
 */
class AlwaysFailingUnderLoadTest {

    private static final int EVENTS = 300;
    private static final Duration OBSERVER_WORK = Duration.ofMillis(10);

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private BridgeConfig orders;
    private Connection connection;
    private JetStreamManagement jsm;
    private PullConsumerEngine engine;
    private final Map<String, SortedSet<Long>> deliveries = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        orders = BridgeConfig.builder().appName("orders").destinationApp("billing").natsUrls(NATS.url())
                .set(ConfigKey.CONSUMER_MAX_DELIVER, "5").set(ConfigKey.CONSUMER_BACKOFF, "200ms,500ms,1s,2s")
                .set(ConfigKey.CONSUMER_ACK_WAIT, "5s").set(ConfigKey.CONSUMER_BATCH_SIZE, "50")
                .set(ConfigKey.CONSUMER_FETCH_TIMEOUT, "200ms").set(ConfigKey.CONSUMER_CONCURRENCY, "2").build();
        connection = new NatsConnector(orders.nats(), null).connect();
        jsm = connection.jetStreamManagement();
        new StreamProvisioner(jsm, orders).provision();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (engine != null) {
            engine.close();
        }
        connection.close();
    }

    @Test
    void everyAlwaysFailingEventIsDeadLetteredAndNoneStaysInTheStream() throws Exception {
        BridgeConfig billing = BridgeConfig.builder().appName("billing").destinationApp("orders")
                .natsUrls(NATS.url()).set(ConfigKey.CONSUMER_ENABLED, "false").build();
        JetStreamPublisher publisher = TestEngines.publisher(connection, billing);
        IntStream.range(0, EVENTS).forEach(i -> publisher.publish(
                OutgoingEvent.builder("invoice.created", Map.of("id", i)).build()));

        Queue<String> advisories = new ConcurrentLinkedQueue<>();
        connection.createDispatcher(m -> advisories.add(new String(m.getData(), StandardCharsets.UTF_8)))
                .subscribe("$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.>");
        MessageProcessor processor = ConsumerTestKit.processor(orders, connection, event -> {
            deliveries.computeIfAbsent(event.eventId(), id -> new ConcurrentSkipListSet<>())
                    .add(event.deliveryCount());
            // the observer's own work, as its database transaction takes: the worker is busy with its batch
            // while its last pull request expires on the server
            LockSupport.parkNanos(OBSERVER_WORK.toNanos());
            throw new IllegalStateException("always fails");
        });
        engine = new PullConsumerEngine(connection, orders.topology(), orders.consumer(), processor, Thread::new,
                Clock.systemUTC(), Duration.ofSeconds(5), PullConsumerEngine.WAIT_FOR_CONSUMER).start();

        // settled: nothing left to deliver and nothing delivered and unacked; a stuck event is in neither count,
        // since the server forgets it once max_deliver is used up, but it is still stored in the work queue
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> ConsumerTestKit.unfinished(jsm) == 0);

        // deliveries the client saw, for events it never saw a delivery to dead-letter on
        List<String> cutShort = deliveries.entrySet().stream()
                .filter(e -> e.getValue().last() < orders.consumer().maxDeliver())
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.toList());
        long left = ConsumerTestKit.storedOn(jsm, "billing.sync.orders");
        assertThat(left).as("events left in the work queue, neither processed nor dead-lettered; deliveries the "
                + "client saw of them: %s; the server's max-deliveries advisories: %s", cutShort, advisories)
                .isZero();
        assertThat(ConsumerTestKit.storedOn(jsm, "orders.sync.dlq")).isEqualTo(EVENTS);
        assertThat(deliveries).hasSize(EVENTS);
    }
}
