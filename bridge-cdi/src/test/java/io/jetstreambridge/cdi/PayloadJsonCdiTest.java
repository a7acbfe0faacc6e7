package io.jetstreambridge.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.publish.Publisher;
import io.jetstreambridge.cdi.PlacedObserver.Line;
import io.jetstreambridge.cdi.PlacedObserver.Placed;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.cdi.JtaContainer;
import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Payload names of the application's choosing, both ways: {@code payload.naming}, or an application's
 * {@code @BridgeJsonb Jsonb}, decides what {@code publish(type, record)} writes and what {@code payloadAs} reads.
 * CDI container with the consumer, real nats-server; the other side is a Rails application's message.
 */
class PayloadJsonCdiTest {

    private static final String STREAM = "jetstream-bridge-stream";
    private static final Placed PLACED = new Placed("O-1", Instant.parse("2026-11-27T09:00:00Z"),
            LocalDate.parse("2026-12-24"), OffsetDateTime.of(2026, 12, 1, 10, 30, 0, 0, ZoneOffset.ofHours(2)),
            List.of(new Line("A-1", 2)), new BigDecimal("19.00"));

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private final Queue<String> log = new ConcurrentLinkedQueue<>();
    private final Handler logHandler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            log.add(record.getLevel() + " " + record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private JtaContainer container;
    private Connection rails;

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        Logger.getLogger("io.jetstreambridge").addHandler(logHandler);
        rails = NATS.connect();
    }

    @AfterEach
    void tearDown() throws Exception {
        Logger.getLogger("io.jetstreambridge").removeHandler(logHandler);
        if (container != null) {
            container.close();
        }
        rails.close();
    }

    private PlacedObserver start(Map<String, String> extra, Class<?>... beans) {
        Map<String, String> config = new HashMap<>(Map.of(
                "jetstream.bridge.app-name", "orders",
                "jetstream.bridge.destination-app", "billing",
                "jetstream.bridge.nats.urls", NATS.url(),
                "jetstream.bridge.consumer.fetch-timeout", "200ms"));
        config.putAll(extra);
        container = JtaContainer.builder().withBridgeRuntime()
                .beanClasses(ConsumerRuntime.class, BridgeEntityManagers.class, PlacedObserver.class)
                .beanClasses(beans)
                .config(config).start();
        return container.select(PlacedObserver.class);
    }

    /** What a Rails application on the Ruby gem sends billing.sync.orders: its payload as it wrote it. */
    private void railsSends(String payload) throws Exception {
        String body = "{\"event_id\":\"" + java.util.UUID.randomUUID() + "\",\"schema_version\":1,"
                + "\"event_type\":\"order.placed\",\"producer\":\"billing\",\"resource_id\":\"O-1\","
                + "\"occurred_at\":\"2026-11-27T09:00:00Z\",\"trace_id\":\"0123456789abcdef\","
                + "\"resource_type\":\"order\",\"payload\":" + payload + "}";
        rails.jetStream().publish(NatsMessage.builder().subject("billing.sync.orders").headers(new Headers())
                .data(body.getBytes(StandardCharsets.UTF_8)).build());
    }

    private JsonObject payloadOf(PublishResult result) throws Exception {
        byte[] body = rails.jetStreamManagement().getMessage(STREAM, result.sequence()).getData();
        return Json.createReader(new StringReader(new String(body, StandardCharsets.UTF_8))).readObject()
                .getJsonObject("payload");
    }

    @Test
    void snakeCaseNamesWhatIsPublishedAndIsReadBackByPayloadAs() throws Exception {
        PlacedObserver observer = start(Map.of("jetstream.bridge.payload.naming", "snake_case"));

        PublishResult result = container.select(Publisher.class).publish("order.placed", PLACED);
        assertThat(payloadOf(result).toString()).isEqualTo("{\"due_on\":\"2026-12-24\",\"order_id\":\"O-1\","
                + "\"order_lines\":[{\"qty\":2,\"sku\":\"A-1\"}],\"placed_at\":\"2026-11-27T09:00:00Z\","
                + "\"promised_at\":\"2026-12-01T10:30:00+02:00\",\"total_amount\":19.00}");

        railsSends(payloadOf(result).toString());
        await().atMost(Duration.ofSeconds(10)).until(() -> !observer.placed().isEmpty());
        assertThat(observer.placed()).containsExactly(PLACED);
        assertThat(log).contains("INFO JSB9030: payloads of app 'orders' are mapped with JSON-B, property naming "
                + "snake_case");
    }

    @Test
    void withTheDefaultNamingJavaNamesGoOutAndSnakeCaseIsNotRead() throws Exception {
        PlacedObserver observer = start(Map.of());

        PublishResult result = container.select(Publisher.class).publish("order.placed", PLACED);
        assertThat(payloadOf(result).getString("orderId")).isEqualTo("O-1");

        railsSends("{\"order_id\":\"O-2\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> !observer.placed().isEmpty());
        assertThat(observer.placed().peek().orderId()).as("order_id is not orderId").isNull();
    }

    @Test
    void anApplicationsBridgeJsonbWinsOverTheNamingSettingBothWays() throws Exception {
        PlacedObserver observer = start(Map.of("jetstream.bridge.payload.naming", "snake_case"),
                UpperCamelJsonb.class);

        PublishResult result = container.select(Publisher.class).publish("order.placed",
                Map.of("total", new BigDecimal("5.50"), "placed", PLACED));
        JsonObject payload = payloadOf(result);
        assertThat(payload.getJsonObject("placed").getString("OrderId")).isEqualTo("O-1");
        assertThat(payload.getJsonObject("placed").getString("TotalAmount")).isEqualTo("19.00");
        assertThat(payload.getString("total")).as("the direct JSON-P path stepped aside").isEqualTo("5.50");

        railsSends(payload.getJsonObject("placed").toString());
        await().atMost(Duration.ofSeconds(10)).until(() -> !observer.placed().isEmpty());
        assertThat(observer.placed()).containsExactly(PLACED);
        assertThat(log).contains("WARNING JSB9032: jetstream.bridge.payload.naming=snake_case of app 'orders' is "
                + "ignored: the application's @BridgeJsonb Jsonb decides the names");

        container.close();
        container = null;
        assertThat(UpperCamelJsonb.disposed).as("the application's bean is the application's to dispose").isTrue();
    }
}
