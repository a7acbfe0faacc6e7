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
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * An observer that throws an {@link Error} (here the worst common one, a {@link StackOverflowError} from runaway
 * recursion) fails its message like any exception: retried, dead-lettered at the last delivery; the worker that ran
 * it lives on, in pull and push mode alike.
 */
class ObserverErrorTest {

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private static final int EVENTS = 40;
    private static final int RECURSING = 7;

    private Connection connection;
    private JetStreamManagement admin;
    private JetStreamPublisher billing;
    private ConsumerEngine engine;
    private final Queue<Integer> observed = new ConcurrentLinkedQueue<>();
    private final Set<Thread> workerThreads = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        connection = NATS.connect();
        admin = connection.jetStreamManagement();
        billing = BillingApp.publisher(connection, NATS.url());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (engine != null) {
            engine.close();
        }
        connection.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"pull", "push"})
    void anObserverOverflowingItsStackIsDeadLetteredAndEveryWorkerKeepsConsuming(String mode) throws Exception {
        BridgeConfig orders = BridgeConfig.builder().appName("orders").destinationApp("billing")
                .natsUrls(NATS.url()).set(ConfigKey.CONSUMER_MODE, mode)
                .set(ConfigKey.CONSUMER_MAX_DELIVER, "3").set(ConfigKey.CONSUMER_BACKOFF, "300ms,600ms")
                .set(ConfigKey.CONSUMER_FETCH_TIMEOUT, "200ms").set(ConfigKey.CONSUMER_BATCH_SIZE, "5")
                .set(ConfigKey.CONSUMER_CONCURRENCY, "2").build();
        new StreamProvisioner(admin, orders).provision();
        Connection consumerConnection = new NatsConnector(orders.nats(), null).connect();
        MessageProcessor processor = ConsumerTestKit.processor(orders, consumerConnection, this::observe);
        ThreadFactory threads = work -> {
            Thread thread = new Thread(work);
            workerThreads.add(thread);
            return thread;
        };
        engine = "pull".equals(mode)
                ? new PullConsumerEngine(consumerConnection, orders.topology(), orders.consumer(), processor, threads,
                        Clock.systemUTC(), Duration.ofSeconds(5), PullConsumerEngine.WAIT_FOR_CONSUMER).start()
                : new PushConsumerEngine(consumerConnection, orders.topology(), orders.consumer(), processor,
                        threads, Clock.systemUTC(), Duration.ofSeconds(5)).start();

        IntStream.range(0, EVENTS).forEach(this::publish);

        await().atMost(Duration.ofSeconds(20)).until(() -> ConsumerTestKit.storedOn(admin, "orders.sync.dlq") == 1
                && ConsumerTestKit.unfinished(admin) == 0);
        var deadLetter = admin.getLastMessage(ConsumerTestKit.STREAM, "orders.sync.dlq");
        assertThat(deadLetter.getHeaders().getFirst("x-dlq-reason")).isEqualTo("max_deliver_exceeded");
        assertThat(deadLetter.getHeaders().getFirst("x-dlq-context")).contains("StackOverflowError");
        Map<Integer, Long> deliveries = observed.stream()
                .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
        assertThat(deliveries).containsEntry(RECURSING, 3L);
        assertThat(deliveries.keySet()).containsExactlyInAnyOrderElementsOf(IntStream.range(0, EVENTS).boxed()
                .toList());
        assertThat(workerThreads).hasSize(2).allMatch(Thread::isAlive);
        assertThat(engine.state()).isEqualTo(ConsumerEngine.State.RUNNING);

        // the workers that ran the failing observer still take new messages
        IntStream.range(EVENTS, EVENTS + 10).forEach(this::publish);
        await().atMost(Duration.ofSeconds(10)).until(() -> observed.stream().filter(id -> id >= EVENTS).count() == 10);
        assertThat(workerThreads).hasSize(2).allMatch(Thread::isAlive);
        consumerConnection.close();
    }

    private void observe(JetstreamEvent event) {
        int id = event.payload().asJsonObject().getInt("id");
        observed.add(id);
        if (id == RECURSING) {
            recurse(List.of(id));
        }
    }

    private static int recurse(List<Integer> depth) {
        return recurse(depth) + 1;
    }

    private void publish(int id) {
        billing.publish(OutgoingEvent.builder("invoice.created", Map.of("id", id)).build());
    }
}
