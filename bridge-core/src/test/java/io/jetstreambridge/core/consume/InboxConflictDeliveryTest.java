package io.jetstreambridge.core.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.core.connection.NatsConnector;
import io.jetstreambridge.core.inbox.InboxConflictException;
import io.jetstreambridge.core.topology.StreamProvisioner;
import io.jetstreambridge.testing.BillingApp;
import io.jetstreambridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A delivery that meets another delivery of its event at the inbox row (whose outcome was not "processed") is
 * offered again, never dead-lettered, even when it was the last allowed delivery; the handler stands in for the
 * inbox transaction, the rest is real (processor, classifier, dead-letter publisher, nats-server).
 */
class InboxConflictDeliveryTest {

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private BridgeConfig orders;
    private Connection connection;
    private JetStreamManagement jsm;
    private PullConsumerEngine engine;

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        orders = BridgeConfig.builder().appName("orders").destinationApp("billing").natsUrls(NATS.url())
                .set(ConfigKey.CONSUMER_MAX_DELIVER, "3").set(ConfigKey.CONSUMER_BACKOFF, "300ms,600ms")
                .set(ConfigKey.CONSUMER_FETCH_TIMEOUT, "200ms").build();
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
    void aConflictOnEveryDeliveryUpToTheLastAllowedOneIsOfferedAgainAndNeverDeadLettered() throws Exception {
        Queue<Long> deliveries = new ConcurrentLinkedQueue<>();
        MessageProcessor processor = ConsumerTestKit.processor(orders, connection, event -> {
            deliveries.add(event.deliveryCount());
            if (event.deliveryCount() <= orders.consumer().maxDeliver()) {
                throw new InboxConflictException(event.eventId(),
                        new SQLException("duplicate key value violates unique constraint", "23505"));
            }
        });
        engine = new PullConsumerEngine(connection, orders.topology(), orders.consumer(), processor, Thread::new,
                Clock.systemUTC(), Duration.ofSeconds(5), PullConsumerEngine.WAIT_FOR_CONSUMER).start();
        PublishResult published = BillingApp.publisher(connection, NATS.url())
                .publish(OutgoingEvent.builder("invoice.created", Map.of("id", 1)).build());
        assertThat(published.accepted()).isTrue();

        await().atMost(Duration.ofSeconds(20)).until(() -> ConsumerTestKit.unfinished(jsm) == 0);

        assertThat(List.copyOf(deliveries)).containsExactly(1L, 2L, 3L, 4L);
        assertThat(ConsumerTestKit.storedOn(jsm, orders.topology().dlqSubject())).isZero();
    }
}
