package io.jetstreambridge.core.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.core.connection.NatsConnector;
import io.jetstreambridge.core.deadletter.DeadLetter;
import io.jetstreambridge.core.deadletter.DeadLetterQueue;
import io.jetstreambridge.core.telemetry.BridgeTelemetry;
import io.jetstreambridge.core.telemetry.otel.OpenTelemetryBridgeTelemetry;
import io.jetstreambridge.core.health.HealthContribution;
import io.jetstreambridge.core.health.StreamStateProbe;
import io.jetstreambridge.core.publish.JetStreamPublisher;
import io.jetstreambridge.core.topology.StreamProvisioner;
import io.jetstreambridge.testing.BillingApp;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.ProvisionedConnection;
import io.jetstreambridge.testing.ServerGivesUp;
import io.jetstreambridge.testing.telemetry.InMemoryTelemetry;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import jakarta.json.spi.JsonProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The safety net for a message the server gave up on: whatever took its deliveries (here a raw jnats subscriber
 * that naks every one, not the bridge), once the server's {@code max_deliver} is used up the message would stay in
 * the work-queue stream forever. Health shows it; the MAX_DELIVERIES advisory moves it to the DLQ.
 */
class MaxDeliveriesWatchTest {

    private static final String STREAM = ConsumerTestKit.STREAM;
    private static final String SUBJECT = "billing.sync.orders";
    private static final String DLQ = "orders.sync.dlq";

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private BridgeConfig orders;
    private Connection connection;
    private JetStreamManagement jsm;
    private JetStreamPublisher billing;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        // the durable gets max_deliver 1 + 5 spare = 6 from the provisioner; no backoff, so a nak comes back at once
        orders = BridgeConfig.builder().appName("orders").destinationApp("billing").natsUrls(NATS.url())
                .set(ConfigKey.CONSUMER_MAX_DELIVER, "1").set(ConfigKey.CONSUMER_BACKOFF, "none").build();
        connection = ProvisionedConnection.open(orders);
        jsm = connection.jetStreamManagement();
        billing = BillingApp.publisher(connection, NATS.url());
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        connection.close();
    }

    private List<Long> nakUntilTheServerGivesUp() throws Exception {
        return ServerGivesUp.nakUntilTheServerGivesUp(connection, STREAM, ConsumerTestKit.DURABLE, SUBJECT);
    }

    private HealthContribution health() {
        return new StreamStateProbe(orders).inspect(connection);
    }

    @Test
    void aMessageTheServerGaveUpOnShowsInHealthAsUndeliverable() throws Exception {
        billing.publish(OutgoingEvent.builder("order.created", Map.of("id", 1)).build());
        billing.publish(OutgoingEvent.builder("order.created", Map.of("id", 2)).build());
        ConsumerInfo before = ConsumerTestKit.consumer(jsm);
        assertThat(before.getNumPending()).isEqualTo(2);

        assertThat(nakUntilTheServerGivesUp()).containsExactly(1L, 1L, 2L, 2L, 3L, 3L, 4L, 4L, 5L, 5L, 6L, 6L);

        // consumer-pending says 0, yet both messages are still in the stream and will never be delivered again
        assertThat(ConsumerTestKit.storedOn(jsm, SUBJECT)).isEqualTo(2);
        HealthContribution health = health();
        assertThat(health.data()).containsEntry("consumer-pending", 0L).containsEntry("consumer-undeliverable", 2L);
        assertThat(health.up()).isTrue();
    }

    private MaxDeliveriesWatch watch(Connection on) throws Exception {
        return watch(on, BridgeTelemetry.NONE);
    }

    private MaxDeliveriesWatch watch(Connection on, BridgeTelemetry telemetry) throws Exception {
        JsonProvider json = JsonProvider.provider();
        MaxDeliveriesWatch watch = new MaxDeliveriesWatch(on, orders.topology(),
                new DeadLetterPublisher(on.jetStream(), orders.topology(), json, Clock.systemUTC()),
                new EnvelopeCodec(json), json, telemetry);
        closing.add(0, watch);
        return watch.start();
    }

    private List<DeadLetter> deadLetters() {
        return DeadLetterQueue.of(connection, orders.topology()).list(1, 10).entries();
    }

    @Test
    void theWatchMovesAMessageTheServerGaveUpOnToTheDeadLettersAndOutOfTheStream() throws Exception {
        watch(connection);
        Connection second = new NatsConnector(orders.nats(), null).connect(); // another instance of the app
        closing.add(second);
        watch(second);
        PublishResult published = billing.publish(OutgoingEvent.builder("order.created", Map.of("id", 3)).build());

        assertThat(nakUntilTheServerGivesUp()).hasSize(6);

        await().atMost(Duration.ofSeconds(10)).until(() -> ConsumerTestKit.storedOn(jsm, SUBJECT) == 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> ConsumerTestKit.storedOn(jsm, DLQ) == 1);
        DeadLetter letter = deadLetters().get(0);
        assertThat(letter.eventId()).isEqualTo(published.eventId());
        assertThat(letter.reason()).isEqualTo("max_deliver_exceeded");
        assertThat(letter.deliveries()).isEqualTo(6);
        assertThat(letter.context().sequence()).isEqualTo(published.sequence());
        assertThat(letter.context().originalSubject()).isEqualTo(SUBJECT);
        assertThat(letter.context().errorMessage()).contains("max_deliver", "orders-workers");
        assertThat(letter.headers().get("Nats-Msg-Id")).containsExactly(published.eventId() + ":dlq");
        assertThat(health().data()).containsEntry("consumer-undeliverable", 0L);
    }

    @Test
    void aWatchStartedLaterMovesWhatWasGivenUpOnWhileNobodyListened() throws Exception {
        PublishResult published = billing.publish(OutgoingEvent.builder("order.created", Map.of("id", 4)).build());
        nakUntilTheServerGivesUp(); // the advisory is sent to nobody

        try (InMemoryTelemetry metrics = new InMemoryTelemetry()) {
            watch(connection, new OpenTelemetryBridgeTelemetry(metrics.openTelemetry(), "orders"));

            assertThat(ConsumerTestKit.storedOn(jsm, SUBJECT)).isZero();
            assertThat(deadLetters()).extracting(DeadLetter::eventId).containsExactly(published.eventId());
            assertThat(metrics.counter(io.jetstreambridge.core.telemetry.TelemetryNames.MAX_DELIVERIES,
                    Map.of("jetstream_bridge.app", "orders", "messaging.destination.name", SUBJECT,
                            "jetstream_bridge.outcome", "dead_letter"))).isEqualTo(1);
        }
    }

    @Test
    void withTheDeadLetterQueueOffTheMessageIsLoggedAndRemoved() throws Exception {
        NATS.cleanJetStream();
        orders = BridgeConfig.builder().appName("orders").destinationApp("billing").natsUrls(NATS.url())
                .set(ConfigKey.DLQ_ENABLED, "false").set(ConfigKey.CONSUMER_MAX_DELIVER, "1")
                .set(ConfigKey.CONSUMER_BACKOFF, "none").build();
        new StreamProvisioner(jsm, orders).provision();
        JsonProvider json = JsonProvider.provider();
        MaxDeliveriesWatch watch = new MaxDeliveriesWatch(connection, orders.topology(), null,
                new EnvelopeCodec(json), json, BridgeTelemetry.NONE);
        closing.add(watch.start());
        billing.publish(OutgoingEvent.builder("order.created", Map.of("id", 5)).build());

        nakUntilTheServerGivesUp();

        await().atMost(Duration.ofSeconds(10)).until(() -> ConsumerTestKit.storedOn(jsm, SUBJECT) == 0);
        assertThat(jsm.getStreamInfo(STREAM).getStreamState().getMsgCount()).isZero();
    }
}
