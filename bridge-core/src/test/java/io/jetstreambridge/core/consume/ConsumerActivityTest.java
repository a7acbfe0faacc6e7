package io.jetstreambridge.core.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.consume.JetstreamEvent;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.core.connection.NatsConnector;
import io.jetstreambridge.core.topology.StreamProvisioner;
import io.jetstreambridge.testing.BillingApp;
import io.jetstreambridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * The pull engine's liveness signal moves per message, not per fetch: a batch of slow but healthy messages, longer
 * in all than a stall timeout, keeps showing activity.
 */
class ConsumerActivityTest {

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private static final int EVENTS = 5;
    private static final Duration OBSERVER_TIME = Duration.ofMillis(300);

    private Connection connection;
    private PullConsumerEngine engine;
    /** At each observer's start, how long ago the engine last showed activity. */
    private final Queue<Duration> activityAges = new ConcurrentLinkedQueue<>();
    private final CountDownLatch neverReleased = new CountDownLatch(1);

    @AfterEach
    void tearDown() throws Exception {
        if (engine != null) {
            engine.close();
        }
        connection.close();
    }

    @Test
    void aBatchOfSlowMessagesShowsActivityAtEveryMessage() throws Exception {
        NATS.cleanJetStream();
        BridgeConfig orders = BridgeConfig.builder().appName("orders").destinationApp("billing")
                .natsUrls(NATS.url()).set(ConfigKey.CONSUMER_FETCH_TIMEOUT, "200ms")
                .set(ConfigKey.CONSUMER_BATCH_SIZE, "5").set(ConfigKey.CONSUMER_CONCURRENCY, "1").build();
        connection = new NatsConnector(orders.nats(), null).connect();
        new StreamProvisioner(connection.jetStreamManagement(), orders).provision();
        var billing = BillingApp.publisher(connection, NATS.url());
        IntStream.range(0, EVENTS).forEach(id -> billing.publish(OutgoingEvent.builder("invoice.created",
                Map.of("id", id)).build()));

        engine = new PullConsumerEngine(connection, orders.topology(), orders.consumer(),
                ConsumerTestKit.processor(orders, connection, this::observe), Thread::new, Clock.systemUTC(),
                Duration.ofSeconds(5), PullConsumerEngine.WAIT_FOR_CONSUMER).start();

        await().atMost(Duration.ofSeconds(20)).until(() -> activityAges.size() == EVENTS);
        // the whole batch takes 1.5 s; per fetch, the last observer would start 1.2 s after the last activity
        assertThat(activityAges).allSatisfy(age -> assertThat(age).isLessThan(OBSERVER_TIME));
    }

    private void observe(JetstreamEvent event) throws InterruptedException {
        activityAges.add(Duration.between(engine.lastActivity().orElseThrow(), Instant.now()));
        neverReleased.await(OBSERVER_TIME.toMillis(), TimeUnit.MILLISECONDS); // slow but healthy work
    }
}
