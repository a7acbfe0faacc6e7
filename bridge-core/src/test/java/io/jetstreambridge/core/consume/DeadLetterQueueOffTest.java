package io.jetstreambridge.core.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.consume.JetstreamEvent;
import io.jetstreambridge.consume.UnrecoverableEventException;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.core.telemetry.otel.OpenTelemetryBridgeTelemetry;
import io.jetstreambridge.testing.telemetry.InMemoryTelemetry;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.spi.JsonProvider;
import io.jetstreambridge.core.publish.JetStreamPublisher;
import io.jetstreambridge.testing.BillingApp;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.ProvisionedConnection;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * {@code dlq.enabled=false}: the stream has no dead-letter subject, so a message the consumer gives up on is
 * terminated ({@code term()}, which removes it from the work-queue stream) instead of copied, and never loops.
 */
class DeadLetterQueueOffTest {

    private static final String SUBJECT = "billing.sync.orders";

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private BridgeConfig orders;
    private Connection connection;
    private JetStreamManagement jsm;
    private JetStreamPublisher billing;
    private PullConsumerEngine engine;
    private final Queue<JetstreamEvent> received = new ConcurrentLinkedQueue<>();
    private final InMemoryTelemetry metrics = new InMemoryTelemetry();

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        orders = BridgeConfig.builder().appName("orders").destinationApp("billing").natsUrls(NATS.url())
                .set(ConfigKey.DLQ_ENABLED, "false")
                .set(ConfigKey.CONSUMER_MAX_DELIVER, "3").set(ConfigKey.CONSUMER_BACKOFF, "200ms,300ms")
                .set(ConfigKey.CONSUMER_FETCH_TIMEOUT, "200ms").build();
        connection = ProvisionedConnection.open(orders);
        jsm = connection.jetStreamManagement();
        billing = BillingApp.publisher(connection, NATS.url());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (engine != null) {
            engine.close();
        }
        connection.close();
        metrics.close();
    }

    private void start(DeliveryHandler handler) {
        JsonProvider json = JsonProvider.provider();
        MessageProcessor processor = new MessageProcessor(orders.topology(), new EnvelopeCodec(json), event -> {
            received.add(event);
            handler.handle(event);
        }, new FailureClassifier(orders.consumer().maxDeliver(), orders.consumer().backoff(), Set.of()),
                new DeadLetterPublisher(ConsumerTestKit.jetStream(connection), orders.topology(), json,
                        Clock.systemUTC()),
                (payload, type) -> JsonbBuilder.create().fromJson(payload.toString(), type),
                new KeepAlive(ConsumerTestKit.KEEP_ALIVE_SCHEDULER, KeepAlive.effectiveAckWait(orders.consumer()),
                        orders.consumer().processingTimeout()),
                new OpenTelemetryBridgeTelemetry(metrics.openTelemetry(), "orders"));
        engine = new PullConsumerEngine(connection, orders.topology(), orders.consumer(), processor, Thread::new,
                Clock.systemUTC(), Duration.ofSeconds(5), PullConsumerEngine.WAIT_FOR_CONSUMER).start();
    }

    private void awaitGoneFromTheStream() {
        await().atMost(Duration.ofSeconds(10)).until(() -> ConsumerTestKit.storedOn(jsm, SUBJECT) == 0
                && ConsumerTestKit.unfinished(jsm) == 0);
    }

    @Test
    void anUnrecoverableEventIsTerminatedAtItsFirstDelivery() throws Exception {
        start(event -> {
            throw new UnrecoverableEventException("customer does not exist");
        });
        billing.publish(OutgoingEvent.builder("order.created", Map.of("id", 1)).build());

        awaitGoneFromTheStream();
        assertThat(received).extracting(JetstreamEvent::deliveryCount).containsExactly(1L);
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics.counter(io.jetstreambridge.core.telemetry.TelemetryNames.TERMINATED,
                Map.of("jetstream_bridge.reason", "unrecoverable")) == 1);
    }

    @Test
    void anEventFailingOnItsLastDeliveryIsTerminatedNotRedeliveredUntilTheServerGivesUp() throws Exception {
        start(event -> {
            throw new IllegalStateException("always fails");
        });
        billing.publish(OutgoingEvent.builder("order.created", Map.of("id", 2)).build());

        awaitGoneFromTheStream();
        assertThat(received).extracting(JetstreamEvent::deliveryCount).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aMessageThatIsNotAnEnvelopeIsTerminated() throws Exception {
        start(event -> { });
        connection.jetStream().publish(NatsMessage.builder().subject(SUBJECT)
                .headers(new Headers().add("Nats-Msg-Id", "poison-1"))
                .data("{\"event_type\": \"order.created\", \"payload\": ".getBytes(StandardCharsets.UTF_8)).build());

        awaitGoneFromTheStream();
        assertThat(received).isEmpty();
    }
}
