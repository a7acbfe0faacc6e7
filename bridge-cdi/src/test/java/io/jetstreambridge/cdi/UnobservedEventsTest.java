package io.jetstreambridge.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.core.deadletter.DeadLetter;
import io.jetstreambridge.core.deadletter.DeadLetterQueue;
import io.jetstreambridge.core.publish.JetStreamPublisher;
import io.jetstreambridge.testing.BillingApp;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.cdi.JtaContainer;
import io.jetstreambridge.testing.telemetry.InMemoryTelemetry;
import io.jetstreambridge.testing.telemetry.OpenTelemetryBean;
import io.nats.client.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Events whose type no observer matches (a typo in {@code @EventType}) are not lost without a trace: logged once per
 * type, counted, and acked or dead-lettered as {@code consumer.unobserved-events} says. CDI container with the
 * consumer runtime, real nats-server, no inbox.
 */
class UnobservedEventsTest {

    private static final String STREAM = "jetstream-bridge-stream";
    private static final String UNOBSERVED = io.jetstreambridge.core.telemetry.TelemetryNames.UNOBSERVED;

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private final Queue<String> log = new ConcurrentLinkedQueue<>();
    private final Handler logHandler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            log.add(String.valueOf(record.getMessage()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private InMemoryTelemetry telemetry;
    private JtaContainer container;
    private Connection billingConnection;
    private JetStreamPublisher billing;

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        Logger.getLogger("io.jetstreambridge").addHandler(logHandler);
        telemetry = new InMemoryTelemetry();
        OpenTelemetryBean.use(telemetry.openTelemetry());
        billingConnection = BillingApp.connect(NATS.url());
        billing = BillingApp.publisher(billingConnection, NATS.url());
    }

    @AfterEach
    void tearDown() throws Exception {
        Logger.getLogger("io.jetstreambridge").removeHandler(logHandler);
        if (container != null) {
            container.close();
        }
        billingConnection.close();
        telemetry.close();
    }

    private StockObserver start(Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(Map.of(
                "jetstream.bridge.app-name", "orders",
                "jetstream.bridge.destination-app", "billing",
                "jetstream.bridge.nats.urls", NATS.url(),
                "jetstream.bridge.consumer.max-deliver", "3",
                "jetstream.bridge.consumer.backoff", "200ms,400ms",
                "jetstream.bridge.consumer.fetch-timeout", "200ms"));
        config.putAll(extra);
        container = JtaContainer.builder().withBridgeRuntime()
                .beanClasses(ConsumerRuntime.class, BridgeEntityManagers.class, StockObserver.class,
                        OpenTelemetryBean.class)
                .config(config).start();
        return container.select(StockObserver.class);
    }

    private PublishResult publish(String eventType) {
        return billing.publish(OutgoingEvent.builder(eventType, Map.of("id", "SKU-1")).build());
    }

    private long unfinished() throws Exception {
        var info = billingConnection.jetStreamManagement().getConsumerInfo(STREAM, "orders-workers");
        return info.getNumPending() + info.getNumAckPending();
    }

    private long logLines(String... parts) {
        return log.stream().filter(line -> List.of(parts).stream().allMatch(line::contains)).count();
    }

    @Test
    void anEventTypeNobodyObservesIsAckedLoggedOncePerTypeAndCounted() throws Exception {
        StockObserver observer = start(Map.of());
        PublishResult observed = publish("stock.reserved");
        for (int i = 0; i < 3; i++) {
            publish("stock.reservd"); // a typo on one side
        }
        PublishResult shipped = publish("shipment.created"); // matched by its resource type alone

        await().atMost(Duration.ofSeconds(10)).until(() -> unfinished() == 0 && observer.shipments().size() == 1);
        assertThat(observer.reserved()).containsExactly(observed.eventId());
        assertThat(observer.shipments()).containsExactly(shipped.eventId());
        await().atMost(Duration.ofSeconds(5)).until(() -> telemetry.counter(UNOBSERVED, Map.of()) == 3);
        assertThat(telemetry.counter(UNOBSERVED, Map.of("jetstream_bridge.app", "orders",
                "jetstream_bridge.event_type", "stock.reservd")))
                .isEqualTo(3);
        assertThat(logLines("JSB4012", "'stock.reservd'", "acked")).isEqualTo(1);
        assertThat(logLines("JSB4012", "'stock.reserved'")).isZero();
        assertThat(billingConnection.jetStreamManagement().getStreamInfo(STREAM).getStreamState().getMsgCount())
                .as("nothing dead-lettered, nothing left").isZero();
    }

    @Test
    void withDeadLetterAnEventTypeNobodyObservesIsDeadLetteredAsNoObserver() throws Exception {
        StockObserver observer = start(Map.of("jetstream.bridge.consumer.unobserved-events", "dead-letter",
                "jetstream.bridge.consumer.batch-size", "10"));
        PublishResult typo = publish("stock.reservd");
        PublishResult observed = publish("stock.reserved");

        await().atMost(Duration.ofSeconds(10)).until(() -> unfinished() == 0 && observer.reserved().size() == 1);
        BridgeConfig orders = BridgeConfig.builder().appName("orders").destinationApp("billing").build();
        List<DeadLetter> letters = DeadLetterQueue.of(billingConnection, orders.topology()).list(1, 10).entries();
        assertThat(letters).extracting(DeadLetter::eventId).containsExactly(typo.eventId());
        assertThat(letters.get(0).reason()).isEqualTo("no_observer");
        assertThat(letters.get(0).deliveries()).isEqualTo(1);
        assertThat(letters.get(0).context().errorMessage()).contains("stock.reservd");
        assertThat(observer.reserved()).containsExactly(observed.eventId());
        assertThat(logLines("JSB4012", "'stock.reservd'", "dead-lettered")).isEqualTo(1);
    }
}
