package io.jetstreambridge.core.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.consume.JetstreamEvent;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.core.connection.NatsConnector;
import io.jetstreambridge.core.publish.JetStreamPublisher;
import io.jetstreambridge.core.topology.StreamProvisioner;
import io.jetstreambridge.testing.BillingApp;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.jta.Narayana;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * A batch whose observers together outlast the processing timeout (each alone is well inside it): the batch's
 * transaction rolls back and its events are handled one by one, and throughout every message stays kept alive, so
 * the server never hands one to another worker while its observer still runs here. Real transactions (Narayana),
 * real nats-server.
 */
class SlowBatchTest {

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private static final int EVENTS = 5;

    private Connection connection;
    private JetStreamManagement admin;
    private JetStreamPublisher billing;
    private final List<Connection> connections = new ArrayList<>();
    private final List<PullConsumerEngine> engines = new ArrayList<>();
    private final Map<Integer, AtomicInteger> running = new ConcurrentHashMap<>();
    private final Queue<Integer> overlapping = new ConcurrentLinkedQueue<>();
    private final Queue<Integer> entries = new ConcurrentLinkedQueue<>();
    private final CountDownLatch neverReleased = new CountDownLatch(1);

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        connection = NATS.connect();
        admin = connection.jetStreamManagement();
        billing = BillingApp.publisher(connection, NATS.url());
    }

    @AfterEach
    void tearDown() throws Exception {
        engines.forEach(PullConsumerEngine::close);
        for (Connection consumerConnection : connections) {
            consumerConnection.close();
        }
        connection.close();
    }

    @Test
    void aBatchOutlastingTheProcessingTimeoutIsNeverHandledTwiceAtTheSameTime() throws Exception {
        // one batch of 5 events: the first one's observer takes 900 ms, each other one 100 ms, so the batch takes
        // 1.3 s, longer than the processing timeout (1 s) though each event alone fits; the first backoff step
        // (the ack wait the server applies) is 500 ms, so a message not kept alive is soon redelivered to the
        // second instance, which idles meanwhile
        BridgeConfig orders = BridgeConfig.builder().appName("orders").destinationApp("billing")
                .natsUrls(NATS.url()).set(ConfigKey.CONSUMER_MAX_DELIVER, "5")
                .set(ConfigKey.CONSUMER_BACKOFF, "500ms,1s").set(ConfigKey.CONSUMER_PROCESSING_TIMEOUT, "1s")
                .set(ConfigKey.HEALTH_CONSUMER_STALL_TIMEOUT, "2s")
                .set(ConfigKey.CONSUMER_FETCH_TIMEOUT, "200ms").set(ConfigKey.CONSUMER_BATCH_SIZE, "5")
                .set(ConfigKey.CONSUMER_CONCURRENCY, "1").build();
        new StreamProvisioner(admin, orders).provision();
        IntStream.range(0, EVENTS).forEach(this::publish);

        start(orders);
        await().atMost(Duration.ofSeconds(10)).until(() -> !entries.isEmpty());
        start(orders); // a second instance, idle: the batch is in the first one's hands

        await().atMost(Duration.ofSeconds(30)).until(() -> ConsumerTestKit.unfinished(admin) == 0);
        assertThat(overlapping).as("events whose observer ran twice at the same time").isEmpty();
        assertThat(ConsumerTestKit.storedOn(admin, "orders.sync.dlq")).as("dead-lettered").isZero();
        assertThat(entries.stream().distinct().count()).isEqualTo(EVENTS);
    }

    private void start(BridgeConfig orders) {
        Connection consumerConnection = new NatsConnector(orders.nats(), null).connect();
        connections.add(consumerConnection);
        TransactionalDelivery delivery = new TransactionalDelivery(Narayana.userTransaction(), this::observe, null,
                null, orders.consumer().processingTimeout());
        engines.add(new PullConsumerEngine(consumerConnection, orders.topology(), orders.consumer(),
                ConsumerTestKit.processor(orders, consumerConnection, delivery), Thread::new, Clock.systemUTC(),
                Duration.ofSeconds(5), PullConsumerEngine.WAIT_FOR_CONSUMER).start());
    }

    private void observe(JetstreamEvent event) {
        int id = event.payload().asJsonObject().getInt("id");
        entries.add(id);
        AtomicInteger now = running.computeIfAbsent(id, ignored -> new AtomicInteger());
        if (now.incrementAndGet() > 1) {
            overlapping.add(id);
        }
        try {
            neverReleased.await(id == 0 ? 900 : 100, TimeUnit.MILLISECONDS); // slow work
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            now.decrementAndGet();
        }
    }

    private void publish(int id) {
        billing.publish(OutgoingEvent.builder("invoice.created", Map.of("id", id)).build());
    }
}
