package io.jetstreambridge.core.consume;

import static io.jetstreambridge.core.consume.ConsumerTestKit.DURABLE;
import static io.jetstreambridge.core.consume.ConsumerTestKit.STREAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.consume.JetstreamEvent;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.core.connection.NatsConnector;
import io.jetstreambridge.core.publish.JetStreamPublisher;
import io.jetstreambridge.core.topology.StreamProvisioner;
import io.jetstreambridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.MessageInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

class PushConsumerEngineTest {

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private final List<Connection> connections = new ArrayList<>();
    private final List<PushConsumerEngine> engines = new ArrayList<>();
    /** Every delivery the handlers saw, with the worker thread that ran it. */
    private final Queue<Delivery> received = new ConcurrentLinkedQueue<>();
    private JetStreamManagement admin;
    private JetStreamPublisher billing;

    private record Delivery(JetstreamEvent event, String worker, long at) {
    }

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        admin = NATS.connect().jetStreamManagement();
        BridgeConfig billingConfig = BridgeConfig.builder().appName("billing").destinationApp("orders")
                .natsUrls(NATS.url()).set(ConfigKey.CONSUMER_ENABLED, "false").build();
        billing = TestEngines.publisher(NATS.connect(), billingConfig);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (PushConsumerEngine engine : engines) {
            engine.close();
        }
        for (Connection connection : connections) {
            connection.close();
        }
    }

    private static BridgeConfig orders(Map<ConfigKey, String> overrides) {
        BridgeConfig.Builder builder = BridgeConfig.builder().appName("orders").destinationApp("billing")
                .natsUrls(NATS.url())
                .set(ConfigKey.CONSUMER_MODE, "push")
                .set(ConfigKey.CONSUMER_MAX_DELIVER, "3")
                // with a backoff list the server takes its first step as ack_wait, so on a busy machine a message
                // waiting in a worker's queue could be redelivered meanwhile: tests that count deliveries use none
                .set(ConfigKey.CONSUMER_BACKOFF, "none").set(ConfigKey.CONSUMER_ACK_WAIT, "30s")
                .set(ConfigKey.CONSUMER_FETCH_TIMEOUT, "200ms").set(ConfigKey.NATS_RECONNECT_WAIT, "100ms")
                .set(ConfigKey.CONSUMER_CONCURRENCY, "3");
        overrides.forEach(builder::set);
        return builder.build();
    }

    private static BridgeConfig orders() {
        return orders(Map.of());
    }

    /** Short naks: 300 ms, then 600 ms (which the server also uses as ack_wait). */
    private static BridgeConfig ordersWithBackoff() {
        return orders(Map.of(ConfigKey.CONSUMER_BACKOFF, "300ms,600ms"));
    }

    private void provision(BridgeConfig config) {
        new StreamProvisioner(admin, config).provision();
    }

    /** One application instance: its own connection and engine. */
    private PushConsumerEngine start(BridgeConfig config, DeliveryHandler handler) {
        Connection connection = new NatsConnector(config.nats(), null).connect();
        connections.add(connection);
        MessageProcessor processor = ConsumerTestKit.processor(config, connection, event -> {
            received.add(new Delivery(event, Thread.currentThread().getName(), System.nanoTime()));
            handler.handle(event);
        });
        PushConsumerEngine engine = new PushConsumerEngine(connection, config.topology(), config.consumer(),
                processor, Thread::new, Clock.systemUTC(), Duration.ofSeconds(5)).start();
        engines.add(engine);
        return engine;
    }

    private PublishResult publish(int id) {
        return billing.publish(OutgoingEvent.builder("invoice.created", Map.of("id", id)).header("tenant", "acme")
                .build());
    }

    private long unfinished() throws Exception {
        return ConsumerTestKit.unfinished(admin);
    }

    @Test
    void theProvisionedConsumerPushesToTheDeliverSubjectForTheQueueGroup() throws Exception {
        provision(orders());

        ConsumerConfiguration consumer = ConsumerTestKit.consumer(admin).getConsumerConfiguration();
        assertThat(consumer.getDeliverSubject()).isEqualTo("billing.sync.orders.worker");
        assertThat(consumer.getDeliverGroup()).isEqualTo("orders-workers");
        PushConsumerEngine engine = start(orders(), event -> { });
        assertThat(engine.deliverSubject()).isEqualTo("billing.sync.orders.worker");
        assertThat(engine.queueGroup()).isEqualTo("orders-workers");
    }

    @Test
    void eachMessageReachesExactlyOneWorkerOfTheQueueGroupAndIsAcked() throws Exception {
        BridgeConfig config = orders();
        provision(config);
        // two instances of the application, three workers each: six members of one queue group
        PushConsumerEngine first = start(config, event -> { });
        PushConsumerEngine second = start(config, event -> { });
        Instant before = Instant.now();

        List<PublishResult> published = IntStream.range(0, 300).mapToObj(this::publish).toList();

        await().atMost(Duration.ofSeconds(15)).until(() -> received.size() >= 300 && unfinished() == 0);
        assertThat(received).hasSize(300);
        assertThat(received.stream().map(d -> d.event().eventId()).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(published.stream().map(PublishResult::eventId).toList());
        assertThat(received).allSatisfy(d -> assertThat(d.event().deliveryCount()).isEqualTo(1));
        Map<String, Long> perWorker = received.stream()
                .collect(Collectors.groupingBy(Delivery::worker, Collectors.counting()));
        assertThat(perWorker.keySet()).anyMatch(w -> w.startsWith("orders-workers-push-"));
        assertThat(perWorker).as("messages per worker thread").hasSizeGreaterThan(2);
        assertThat(ConsumerTestKit.storedOn(admin, "billing.sync.orders")).as("work queue after acks").isZero();

        JetstreamEvent one = received.peek().event();
        assertThat(one.subject()).isEqualTo("billing.sync.orders");
        assertThat(one.stream()).isEqualTo(STREAM);
        assertThat(one.eventType()).isEqualTo("invoice.created");
        assertThat(one.headers().get("tenant")).containsExactly("acme");
        for (PushConsumerEngine engine : List.of(first, second)) {
            assertThat(engine.state()).isEqualTo(ConsumerEngine.State.RUNNING);
            assertThat(engine.lastDelivery()).hasValueSatisfying(t -> assertThat(t).isAfterOrEqualTo(before));
            assertThat(engine.lastActivity()).isPresent();
            assertThat(engine.lastError()).isEmpty();
        }
    }

    @Test
    void aBacklogWithSlowObserversIsDeliveredOnceEachAndNothingIsDeadLettered() throws Exception {
        // a backoff list as by default: the server's ack wait is its first step, 1 s, also for a message that
        // waits in this instance for a free worker
        BridgeConfig config = orders(Map.of(ConfigKey.CONSUMER_BACKOFF, "1s,5s",
                ConfigKey.CONSUMER_CONCURRENCY, "4"));
        provision(config);
        String blob = "x".repeat(64);
        List<String> published = new ArrayList<>();
        for (int from = 0; from < 5000; from += 500) {
            billing.publishAll(IntStream.range(from, from + 500).mapToObj(i -> OutgoingEvent.of("invoice.created",
                    Map.of("id", i, "blob", blob))).toList()).forEach(r -> published.add(r.eventId()));
        }
        assertThat(ConsumerTestKit.storedOn(admin, "billing.sync.orders")).isEqualTo(5000);

        // slow observers: 5,000 messages take far longer than the 1 s ack wait
        start(config, event -> LockSupport.parkNanos(Duration.ofMillis(3).toNanos()));

        await().atMost(Duration.ofSeconds(90)).until(() -> unfinished() == 0 && received.size() >= 5000);
        assertThat(received.stream().filter(d -> d.event().deliveryCount() > 1).count())
                .as("redeliveries").isZero();
        assertThat(received).hasSize(5000);
        assertThat(received).extracting(d -> d.event().eventId()).containsExactlyInAnyOrderElementsOf(published);
        assertThat(ConsumerTestKit.storedOn(admin, "orders.sync.dlq")).as("dead letters").isZero();
    }

    @Test
    void messagesWaitingForABusyWorkerAreKeptAliveAndNotRedelivered() throws Exception {
        // one worker, five messages handed out at a time, 1 s ack wait (the first backoff step): the last of the
        // five waits four observer runs, 1.6 s, for the worker
        BridgeConfig config = orders(Map.of(ConfigKey.CONSUMER_BACKOFF, "1s,5s",
                ConfigKey.CONSUMER_CONCURRENCY, "1", ConfigKey.CONSUMER_MAX_ACK_PENDING, "5"));
        provision(config);
        List<PublishResult> published = IntStream.range(0, 10).mapToObj(this::publish).toList();

        start(config, event -> LockSupport.parkNanos(Duration.ofMillis(400).toNanos()));

        await().atMost(Duration.ofSeconds(30)).until(() -> unfinished() == 0 && received.size() >= 10);
        assertThat(received).extracting(d -> d.event().deliveryCount()).as("deliveries").containsOnly(1L);
        assertThat(received).extracting(d -> d.event().eventId())
                .containsExactlyInAnyOrderElementsOf(published.stream().map(PublishResult::eventId).toList());
        assertThat(ConsumerTestKit.storedOn(admin, "orders.sync.dlq")).as("dead letters").isZero();
    }

    @Test
    void messageIsAckedOnlyAfterTheHandlerReturns() throws Exception {
        BridgeConfig config = orders();
        provision(config);
        CountDownLatch release = new CountDownLatch(1);
        start(config, event -> release.await(10, TimeUnit.SECONDS));

        publish(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
        assertThat(ConsumerTestKit.consumer(admin).getNumAckPending()).isEqualTo(1);

        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> unfinished() == 0);
        assertThat(received).hasSize(1);
    }

    @Test
    void failedHandlerIsRedeliveredNoEarlierThanTheNakDelay() throws Exception {
        BridgeConfig config = ordersWithBackoff();
        provision(config);
        start(config, event -> {
            if (event.deliveryCount() == 1) {
                throw new IllegalStateException("database busy");
            }
        });

        publish(1);

        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 2 && unfinished() == 0);
        List<Delivery> deliveries = List.copyOf(received);
        assertThat(deliveries).extracting(d -> d.event().deliveryCount()).containsExactly(1L, 2L);
        assertThat(Duration.ofNanos(deliveries.get(1).at() - deliveries.get(0).at()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(ConsumerTestKit.storedOn(admin, "orders.sync.dlq")).isZero();
    }

    @Test
    void lastAllowedDeliveryIsDeadLettered() throws Exception {
        BridgeConfig config = ordersWithBackoff();
        provision(config);
        start(config, event -> {
            throw new IllegalStateException("always fails");
        });

        PublishResult published = publish(2);

        await().atMost(Duration.ofSeconds(10)).until(() -> ConsumerTestKit.storedOn(admin, "orders.sync.dlq") == 1
                && unfinished() == 0);
        assertThat(received).hasSize(3);
        MessageInfo dlq = admin.getLastMessage(STREAM, "orders.sync.dlq");
        assertThat(dlq.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo(published.eventId() + ":dlq");
        assertThat(dlq.getHeaders().getFirst("x-dlq-reason")).isEqualTo("max_deliver_exceeded");
        assertThat(dlq.getHeaders().getFirst("x-deliveries")).isEqualTo("3");
        assertThat(dlq.getHeaders().getFirst("x-dlq-context")).contains("\"consumer\":\"" + DURABLE + "\"");
    }

    @Test
    void closeFinishesTheMessageInHandAndHandsTheBufferedOnesBackAtOnce() throws Exception {
        // ack_wait is 30 s: a message that was not nak'ed would come back only after that
        BridgeConfig config = orders(Map.of(ConfigKey.CONSUMER_CONCURRENCY, "1",
                ConfigKey.CONSUMER_MAX_ACK_PENDING, "100"));
        provision(config);
        CountDownLatch inHand = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        PushConsumerEngine engine = start(config, event -> {
            inHand.countDown();
            release.await(10, TimeUnit.SECONDS);
        });
        List<PublishResult> published = IntStream.range(0, 20).mapToObj(this::publish).toList();
        assertThat(inHand.await(5, TimeUnit.SECONDS)).isTrue();
        // the server pushed all twenty: one is in the handler, nineteen wait in the worker's subscription
        await().atMost(Duration.ofSeconds(5)).until(() -> ConsumerTestKit.consumer(admin).getNumAckPending() == 20);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(engine::close);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> !closing.isDone());
        release.countDown();
        closing.get(5, TimeUnit.SECONDS);

        assertThat(engine.state()).isEqualTo(ConsumerEngine.State.STOPPED);
        assertThat(received).hasSize(1);
        String finished = received.peek().event().eventId();
        // a new instance gets the nineteen at once, each for the second time; the finished one was acked
        received.clear();
        start(config, event -> { });
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 19 && unfinished() == 0);
        assertThat(received).hasSize(19);
        assertThat(received).extracting(d -> d.event().eventId()).doesNotContain(finished)
                .containsExactlyInAnyOrderElementsOf(published.stream().map(PublishResult::eventId)
                        .filter(id -> !id.equals(finished)).toList());
        assertThat(received).allSatisfy(d -> assertThat(d.event().deliveryCount()).isEqualTo(2));
    }

    @Test
    void consumingGoesOnAfterAServerKill() throws Exception {
        BridgeConfig config = orders();
        provision(config);
        PushConsumerEngine engine = start(config, event -> { });
        IntStream.range(0, 50).forEach(this::publish);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 50 && unfinished() == 0);

        NATS.server().kill();
        await().atMost(Duration.ofSeconds(5)).until(() -> engine.state() == ConsumerEngine.State.RECOVERING);
        NATS.server().restart();
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.state() == ConsumerEngine.State.RUNNING);
        IntStream.range(50, 100).forEach(this::publish);

        await().atMost(Duration.ofSeconds(20)).until(() -> received.stream().map(d -> d.event().eventId())
                .distinct().count() == 100 && unfinished() == 0);
        assertThat(engine.state()).isEqualTo(ConsumerEngine.State.RUNNING);
    }

    @Test
    void flowControlIsAnsweredAndIdleHeartbeatsCountAsDeliveries() throws Exception {
        BridgeConfig config = orders();
        provision(config);
        // an administrator's variant of the consumer with flow control and idle heartbeats (the bridge sets neither)
        admin.deleteConsumer(STREAM, DURABLE);
        admin.addOrUpdateConsumer(STREAM, ConsumerConfiguration.builder().durable(DURABLE)
                .filterSubject("billing.sync.orders").ackPolicy(AckPolicy.Explicit).maxDeliver(3)
                .ackWait(Duration.ofSeconds(30)).deliverSubject("billing.sync.orders.worker")
                .deliverGroup("orders-workers").flowControl(Duration.ofMillis(300)).build());
        // a plain subscriber sees what the server sends to the delivery subject, but never answers it
        AtomicInteger flowControlRequests = new AtomicInteger();
        NATS.connect().createDispatcher(m -> {
            if (m.isStatusMessage() && m.getStatus().isFlowControl()) {
                flowControlRequests.incrementAndGet();
            }
        }).subscribe("billing.sync.orders.worker");
        PushConsumerEngine engine = start(config, event -> { });

        String blob = "x".repeat(32 * 1024);
        assertThat(billing.publishAll(IntStream.range(0, 200).mapToObj(i -> OutgoingEvent.of("invoice.created",
                Map.of("id", i, "blob", blob))).toList())).allMatch(PublishResult::accepted);

        // unanswered (neither the requests nor the heartbeats that report the stall), the server would stop
        // delivering at the first flow control request
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 200 && unfinished() == 0);
        assertThat(flowControlRequests).hasPositiveValue();
        Instant last = engine.lastDelivery().orElseThrow();
        await().atMost(Duration.ofSeconds(5)).until(() -> engine.lastDelivery().orElseThrow().isAfter(last));
        assertThat(received).hasSize(200);
    }

    @Test
    void startAfterCloseIsRefused() {
        BridgeConfig config = orders();
        provision(config);
        PushConsumerEngine engine = start(config, event -> { });
        engine.close();

        assertThatIllegalStateException().isThrownBy(engine::start)
                .withMessageContaining("orders-workers");
        assertThat(engine.state()).isEqualTo(ConsumerEngine.State.STOPPED);
    }
}
