package io.jetstreambridge.core.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.consume.JetstreamEvent;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.core.deadletter.DeadLetter;
import io.jetstreambridge.core.deadletter.DeadLetterQueue;
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
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A dead letter can always be written: texts jnats refuses in a header (anything above 0x7F) are escaped, long
 * messages are bounded, and the original's JetStream publish headers (expectations, rollup) are not copied, since
 * they would make the copy's publish fail. Real nats-server, the runtime's processor and pull engine.
 */
class DeadLetterCopyTest {

    private static final String STREAM = ConsumerTestKit.STREAM;
    private static final String DLQ = "orders.sync.dlq";

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private BridgeConfig orders;
    private Connection connection;
    private JetStreamManagement jsm;
    private JetStreamPublisher billing;
    private PullConsumerEngine engine;
    private final Queue<JetstreamEvent> received = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        orders = BridgeConfig.builder().appName("orders").destinationApp("billing").natsUrls(NATS.url())
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
    }

    private void startFailingWith(String message) {
        MessageProcessor processor = ConsumerTestKit.processor(orders, connection, event -> {
            received.add(event);
            throw new IllegalStateException(message);
        });
        engine = new PullConsumerEngine(connection, orders.topology(), orders.consumer(), processor, Thread::new,
                Clock.systemUTC(), Duration.ofSeconds(5), PullConsumerEngine.WAIT_FOR_CONSUMER).start();
    }

    private DeadLetter awaitTheDeadLetter() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> ConsumerTestKit.storedOn(jsm, DLQ) == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> ConsumerTestKit.unfinished(jsm) == 0);
        List<DeadLetter> letters = DeadLetterQueue.of(connection, orders.topology()).list(1, 10).entries();
        assertThat(letters).hasSize(1);
        return letters.get(0);
    }

    @Test
    void aMessageWithNonAsciiTextIsDeadLetteredAndReadBackAsWritten() throws Exception {
        // what a database says about a value too long for its column: it quotes the value
        String message = "value too long for customer_name: Kunde Müller " + "Ü".repeat(300);
        startFailingWith(message);
        PublishResult published = billing.publish(OutgoingEvent.builder("order.created",
                Map.of("id", 1, "customer", "Kunde Müller")).build());

        DeadLetter letter = awaitTheDeadLetter();
        assertThat(received).hasSize(3);
        assertThat(letter.reason()).isEqualTo("max_deliver_exceeded");
        assertThat(letter.context().errorMessage()).isEqualTo(message);
        assertThat(letter.context().eventId()).isEqualTo(published.eventId());
        // the header itself is plain ASCII: \\u escapes, which any JSON parser (the Ruby gem's too) reads back
        assertThat(letter.context().raw()).matches("\\p{ASCII}*").contains("Kunde M\\u00fcller \\u00dc\\u00dc");
        assertThat(new String(letter.body(), StandardCharsets.UTF_8)).contains("Kunde Müller");
    }

    @Test
    void aVeryLongErrorMessageIsCutAtFourThousandCharacters() throws Exception {
        startFailingWith("Ü".repeat(10_000));
        billing.publish(OutgoingEvent.builder("order.created", Map.of("id", 2)).build());

        DeadLetter letter = awaitTheDeadLetter();
        assertThat(letter.context().errorMessage()).isEqualTo("Ü".repeat(DeadLetterPublisher.MAX_ERROR_MESSAGE));
    }

    @Test
    void theOriginalsPublishExpectationsAreNotCopiedToTheDeadLetter() throws Exception {
        startFailingWith("always fails");
        long last = jsm.getStreamInfo(STREAM).getStreamState().getLastSequence();
        // a publisher that guarded its write with an expectation: true for the original, false for any copy
        Headers headers = new Headers().add("Nats-Msg-Id", "guarded-1").add("tenant", "acme")
                .add("Nats-Expected-Last-Sequence", String.valueOf(last))
                .add("Nats-Expected-Stream", STREAM);
        connection.jetStream().publish(NatsMessage.builder().subject("billing.sync.orders").headers(headers)
                .data(("{\"event_id\":\"guarded-1\",\"event_type\":\"order.created\",\"payload\":{\"id\":3}}")
                        .getBytes(StandardCharsets.UTF_8)).build());

        DeadLetter letter = awaitTheDeadLetter();
        // (Nats-Expected-Stream is there: the copy's own publish expects the stream, as every copy does)
        assertThat(letter.headers()).containsKey("tenant").doesNotContainKey("Nats-Expected-Last-Sequence");
        assertThat(letter.headers().get("Nats-Msg-Id")).containsExactly("guarded-1:dlq");
    }
}
