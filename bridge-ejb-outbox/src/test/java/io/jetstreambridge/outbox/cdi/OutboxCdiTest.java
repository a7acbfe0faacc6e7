package io.jetstreambridge.outbox.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.core.outbox.OutboxEvent;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.publish.Publisher;
import io.jetstreambridge.cdi.BridgeEntityManagers;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.cdi.JtaContainer;
import io.jetstreambridge.testing.jta.TestDatabase;
import io.nats.client.JetStreamManagement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

/** {@code @Inject Publisher} with the outbox on, in a CDI container with JTA, on PostgreSQL. */
class OutboxCdiTest {

    private static final String STREAM = "jetstream-bridge-stream";

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private static JpaHarness jpa;
    private JtaContainer container;

    @BeforeAll
    static void database() {
        jpa = JpaHarness.builder().database(TestDatabase.postgres("outboxcdi"))
                .entities(OutboxEvent.class, TestOrder.class)
                .ddlResource("db/jetstream-bridge/postgresql/V2__jetstream_bridge_outbox.sql")
                .ddlResource("db/jetstream-bridge/postgresql/V3__jetstream_bridge_outbox_indexes.sql")
                .ddl(TestOrder.DDL).start();
    }

    @AfterAll
    static void closeDatabase() {
        jpa.close();
    }

    @BeforeEach
    void setUp() {
        NATS.cleanJetStream();
        jpa.database().execute("DELETE FROM jetstream_bridge_outbox_events");
        jpa.database().execute("DELETE FROM test_orders");
        container = JtaContainer.builder().jpa(jpa).withBridgeRuntime()
                .beanClasses(OutboxRuntime.class, OutboxMaintenanceService.class, BridgeEntityManagers.class,
                        OrderService.class)
                .config(Map.of("jetstream.bridge.app-name", "orders",
                        "jetstream.bridge.destination-app", "billing",
                        "jetstream.bridge.nats.urls", NATS.url(),
                        "jetstream.bridge.consumer.enabled", "false",
                        "jetstream.bridge.outbox.enabled", "true",
                        "jetstream.bridge.outbox.relay.poll-interval", "200ms",
                        "jetstream.bridge.outbox.relay.max-attempts", "1",
                        "jetstream.bridge.publish.ack-timeout", "500ms"))
                .start();
    }

    @AfterEach
    void tearDown() {
        if (container != null) {
            container.close();
        }
    }

    private long streamCount() throws Exception {
        JetStreamManagement jsm = NATS.connect().jetStreamManagement();
        return jsm.getStreamInfo(STREAM).getStreamState().getMsgCount();
    }

    @Test
    void committedBusinessTransactionSendsItsEventOnce() throws Exception {
        PublishResult result = container.select(OrderService.class).create("A-1", false);

        assertThat(result.outcome()).isEqualTo(PublishResult.Outcome.PENDING);
        await().atMost(Duration.ofSeconds(10)).until(() -> streamCount() == 1);
        // sent and then deleted in the relay's own transaction (outbox.sent-rows=delete, the default)
        await().atMost(Duration.ofSeconds(10)).until(() -> jpa.database().queryForLong("SELECT COUNT(*) FROM "
                + "jetstream_bridge_outbox_events WHERE event_id = ?", result.eventId()) == 0);
        assertThat(jpa.database().countRows("test_orders")).isEqualTo(1);
    }

    @Test
    void rolledBackBusinessTransactionLeavesNoRowAndNoMessage() throws Exception {
        assertThatThrownBy(() -> container.select(OrderService.class).create("A-2", true))
                .hasMessageContaining("payment declined");
        container.select(OrderService.class).create("A-3", false);

        await().atMost(Duration.ofSeconds(10)).until(() -> streamCount() == 1);
        // the committed order's row is deleted once sent; the rolled-back one was never written
        await().atMost(Duration.ofSeconds(10))
                .until(() -> jpa.database().countRows("jetstream_bridge_outbox_events") == 0);
        assertThat(jpa.database().countRows("test_orders")).isEqualTo(1);
    }

    @Test
    void aRowThatUsedUpItsAttemptsIsListedAndCanBeRetriedOrDiscarded() throws Exception {
        // another stream captures the subject: JetStream refuses it (not the expected stream), an attempt that
        // counts; a subject nobody listens on would only go unanswered and be retried uncounted
        io.jetstreambridge.core.outbox.RefusingStream.add(NATS);
        Publisher publisher = container.select(Publisher.class);
        PublishResult lost = publisher.publish(io.jetstreambridge.publish.OutgoingEvent
                .builder("order.created", Map.of("id", "A-5")).subject(io.jetstreambridge.core.outbox.RefusingStream.SUBJECT).build());
        PublishResult kept = publisher.publish(io.jetstreambridge.publish.OutgoingEvent
                .builder("order.created", Map.of("id", "A-6")).subject(io.jetstreambridge.core.outbox.RefusingStream.SUBJECT).build());
        OutboxMaintenanceService operations = container.select(OutboxMaintenanceService.class);

        await().atMost(Duration.ofSeconds(15)).until(() -> operations.failed(10).size() == 2);
        assertThat(operations.failed(10)).allSatisfy(row -> {
            assertThat(row.status()).isEqualTo("failed");
            assertThat(row.lastError()).isNotBlank();
        });
        assertThat(operations.backlog().failed()).isEqualTo(2);

        assertThat(operations.discard(lost.eventId())).isTrue();
        assertThat(operations.retry(kept.eventId())).isTrue();
        assertThat(operations.failed(10)).isEmpty();
        assertThat(operations.discard("no-such-event")).isFalse();
        assertThat(jpa.database().countRows("jetstream_bridge_outbox_events")).isEqualTo(1);
    }

    private JtaContainer.Builder outboxWith(Map<String, String> extra) {
        Map<String, String> config = new java.util.HashMap<>(Map.of("jetstream.bridge.app-name", "orders",
                "jetstream.bridge.destination-app", "billing",
                "jetstream.bridge.nats.urls", NATS.url(),
                "jetstream.bridge.consumer.enabled", "false",
                "jetstream.bridge.outbox.enabled", "true"));
        config.putAll(extra);
        return JtaContainer.builder().jpa(jpa).withBridgeRuntime()
                .beanClasses(OutboxRuntime.class, OutboxMaintenanceService.class, BridgeEntityManagers.class)
                .config(config);
    }

    public record Shipped(String orderId, java.time.LocalDate shippedOn) {
    }

    @Test
    void theOutboxWritesPayloadsWithTheSameNamingAsTheDirectPublisher() throws Exception {
        container.close();
        // keep: the relay would otherwise delete the row as soon as JetStream acked it
        container = outboxWith(Map.of("jetstream.bridge.payload.naming", "snake_case",
                "jetstream.bridge.outbox.sent-rows", "keep")).start();

        PublishResult result = container.select(Publisher.class).publish("order.shipped",
                new Shipped("A-9", java.time.LocalDate.parse("2026-12-06")));

        assertThat(jpa.database().queryForLong("SELECT COUNT(*) FROM jetstream_bridge_outbox_events "
                + "WHERE event_id = ? AND payload LIKE ?", result.eventId(),
                "%\"payload\":{\"order_id\":\"A-9\",\"shipped_on\":\"2026-12-06\"}%")).isEqualTo(1);
    }

    @Test
    void aConfiguredDuplicateWindowShorterThanTheOutboxRetrySpanStopsStartUp() {
        container.close();
        container = null;

        // default retry span: 85 s
        assertThatThrownBy(() -> container = outboxWith(Map.of("jetstream.bridge.stream.duplicate-window", "40s"))
                .start()).hasStackTraceContaining("jetstream.bridge.stream.duplicate-window = '40s'")
                .hasStackTraceContaining("outbox's retry span (85s");
    }

    @Test
    void withoutAutoProvisionTheStreamsOwnShortWindowStopsStartUpOnceConnected() throws Exception {
        container.close();
        container = null;
        // an administrator provisioned the stream with a 40 s window; the application's configured 2 m is not it
        new io.jetstreambridge.core.topology.StreamProvisioner(NATS.connect().jetStreamManagement(),
                io.jetstreambridge.config.BridgeConfig.builder().appName("orders").destinationApp("billing")
                        .set(io.jetstreambridge.config.ConfigKey.STREAM_DUPLICATE_WINDOW, "40s")
                        .set(io.jetstreambridge.config.ConfigKey.CONSUMER_ENABLED, "false").build()).provision();
        java.util.List<java.util.logging.LogRecord> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("io.jetstreambridge");
        logger.addHandler(capture);
        try {
            assertThatThrownBy(() -> container = outboxWith(Map.of("jetstream.bridge.auto-provision", "false"))
                    .start()).hasStackTraceContaining("jetstream.bridge.stream.duplicate-window = '40s (stream "
                    + "'jetstream-bridge-stream', not provisioned by the bridge)'");
        } finally {
            logger.removeHandler(capture);
        }
        assertThat(logged).anySatisfy(r -> {
            assertThat(r.getLevel()).isEqualTo(java.util.logging.Level.SEVERE);
            assertThat(r.getMessage()).startsWith("JSB5002").contains("40s").contains("retry span");
        });
    }

    @Test
    void withoutAutoProvisionAStreamWithALongEnoughWindowStartsTheRelay() throws Exception {
        container.close();
        container = null;
        new io.jetstreambridge.core.topology.StreamProvisioner(NATS.connect().jetStreamManagement(),
                io.jetstreambridge.config.BridgeConfig.builder().appName("orders").destinationApp("billing")
                        .set(io.jetstreambridge.config.ConfigKey.CONSUMER_ENABLED, "false").build()).provision();
        // a configured window that alone would be refused: the stream's own 2 m is what counts here
        container = outboxWith(Map.of("jetstream.bridge.auto-provision", "false",
                "jetstream.bridge.stream.duplicate-window", "40s")).start();

        container.select(Publisher.class).publish("order.created", Map.of("id", "A-9"));
        await().atMost(Duration.ofSeconds(15)).until(() -> streamCount() == 1);
    }

    @Test
    void anEventLargerThanTheServersMaxPayloadIsRefusedAndTheTransactionWritesNothing() {
        await().atMost(Duration.ofSeconds(10)).until(() -> container.select(
                io.jetstreambridge.cdi.BridgeRuntime.class).currentConnection().isPresent());
        String huge = "x".repeat(2 * 1024 * 1024);

        assertThatThrownBy(() -> container.select(OrderService.class).createWithNote("A-7", huge))
                .isInstanceOf(io.jetstreambridge.publish.PublishException.class)
                .hasMessageContaining("accepts at most 1048576 (max_payload); nothing was written to the outbox");
        assertThat(jpa.database().countRows("jetstream_bridge_outbox_events")).isZero();
        assertThat(jpa.database().countRows("test_orders")).isZero();
    }

    @Test
    void publishOutsideATransactionWritesTheRowInItsOwnAndSendsIt() throws Exception {
        PublishResult result = container.select(Publisher.class).publish("order.created", Map.of("id", "A-4"));

        assertThat(result.outcome()).isEqualTo(PublishResult.Outcome.PENDING);
        await().atMost(Duration.ofSeconds(10)).until(() -> streamCount() == 1);
    }
}
