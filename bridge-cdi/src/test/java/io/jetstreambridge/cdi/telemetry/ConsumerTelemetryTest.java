package io.jetstreambridge.cdi.telemetry;

import static io.jetstreambridge.core.telemetry.TelemetryNames.APP;
import static io.jetstreambridge.core.telemetry.TelemetryNames.CONSUMED_MESSAGES;
import static io.jetstreambridge.core.telemetry.TelemetryNames.CONSUMER_PENDING;
import static io.jetstreambridge.core.telemetry.TelemetryNames.DEAD_LETTERED;
import static io.jetstreambridge.core.telemetry.TelemetryNames.DESTINATION;
import static io.jetstreambridge.core.telemetry.TelemetryNames.DUPLICATES_SKIPPED;
import static io.jetstreambridge.core.telemetry.TelemetryNames.ERROR_TYPE;
import static io.jetstreambridge.core.telemetry.TelemetryNames.EVENT_TYPE;
import static io.jetstreambridge.core.telemetry.TelemetryNames.MESSAGING_SYSTEM;
import static io.jetstreambridge.core.telemetry.TelemetryNames.NAKS;
import static io.jetstreambridge.core.telemetry.TelemetryNames.OPERATION_DURATION;
import static io.jetstreambridge.core.telemetry.TelemetryNames.OPERATION_NAME;
import static io.jetstreambridge.core.telemetry.TelemetryNames.OUTCOME;
import static io.jetstreambridge.core.telemetry.TelemetryNames.PROCESS_DURATION;
import static io.jetstreambridge.core.telemetry.TelemetryNames.PUBLISHER;
import static io.jetstreambridge.core.telemetry.TelemetryNames.REASON;
import static io.jetstreambridge.core.telemetry.TelemetryNames.SENT_MESSAGES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.envelope.EnvelopeFactory;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.PublishException;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.cdi.BridgeEntityManagers;
import io.jetstreambridge.cdi.ConsumerRuntime;
import io.jetstreambridge.core.connection.NatsConnector;
import io.jetstreambridge.core.inbox.InboxEvent;
import io.jetstreambridge.core.publish.JetStreamPublisher;
import io.jetstreambridge.core.publish.PayloadMapper;
import io.jetstreambridge.core.telemetry.otel.OpenTelemetryBridgeTelemetry;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.cdi.JtaContainer;
import io.jetstreambridge.testing.jta.TestDatabase;
import io.jetstreambridge.testing.telemetry.InMemoryTelemetry;
import io.jetstreambridge.testing.telemetry.OpenTelemetryBean;
import io.nats.client.Connection;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.spi.JsonProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/**
 * Spans and metrics of the direct publisher and the consumer, read from an in-memory OpenTelemetry SDK given to the
 * container as MicroProfile Telemetry would; real nats-server, inbox on PostgreSQL.
 */
class ConsumerTelemetryTest {

    private static final String STREAM = "jetstream-bridge-stream";
    private static final String SUBJECT = "billing.sync.orders";

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private static JpaHarness jpa;
    private InMemoryTelemetry telemetry;
    private JtaContainer container;
    private Connection billingConnection;
    private JetStreamPublisher billing;

    @BeforeAll
    static void database() {
        jpa = JpaHarness.builder().database(TestDatabase.postgres("telemetry")).entities(InboxEvent.class)
                .ddlResource("db/jetstream-bridge/postgresql/V1__jetstream_bridge_inbox.sql").start();
    }

    @AfterAll
    static void closeDatabase() {
        jpa.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        jpa.database().execute("DELETE FROM jetstream_bridge_inbox_events");
        telemetry = new InMemoryTelemetry();
        OpenTelemetryBean.use(telemetry.openTelemetry());
        BridgeConfig billingConfig = BridgeConfig.builder().appName("billing").destinationApp("orders")
                .natsUrls(NATS.url()).set(ConfigKey.CONSUMER_ENABLED, "false").build();
        billingConnection = new NatsConnector(billingConfig.nats(), null).connect();
        JsonProvider json = JsonProvider.provider();
        billing = new JetStreamPublisher(billingConnection, billingConfig.topology(), billingConfig.publish(),
                new EnvelopeFactory("billing", Clock.systemUTC()), new EnvelopeCodec(json),
                new PayloadMapper(JsonbBuilder.create(), json), ForkJoinPool.commonPool(),
                new OpenTelemetryBridgeTelemetry(telemetry.openTelemetry(), "billing"));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (container != null) {
            container.close();
        }
        billingConnection.close();
        telemetry.close();
    }

    private TracedObserver start(Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(Map.of(
                "jetstream.bridge.app-name", "orders",
                "jetstream.bridge.destination-app", "billing",
                "jetstream.bridge.nats.urls", NATS.url(),
                "jetstream.bridge.inbox.enabled", "true",
                "jetstream.bridge.consumer.max-deliver", "3",
                "jetstream.bridge.consumer.backoff", "200ms,400ms",
                "jetstream.bridge.consumer.fetch-timeout", "200ms"));
        config.putAll(extra);
        container = JtaContainer.builder().jpa(jpa).withBridgeRuntime()
                .beanClasses(ConsumerRuntime.class, BridgeEntityManagers.class, TracedObserver.class,
                        OpenTelemetryBean.class)
                .config(config).start();
        return container.select(TracedObserver.class);
    }

    private long unfinished() throws Exception {
        var info = billingConnection.jetStreamManagement().getConsumerInfo(STREAM, "orders-workers");
        return info.getNumPending() + info.getNumAckPending();
    }

    private static SpanData only(java.util.List<SpanData> spans) {
        assertThat(spans).hasSize(1);
        return spans.get(0);
    }

    @Test
    void theConsumerContinuesThePublishersTraceAroundTheObservers() throws Exception {
        TracedObserver observer = start(Map.of());
        Span checkout = telemetry.openTelemetry().getTracer("test-application").spanBuilder("checkout").startSpan();
        PublishResult result;
        try (Scope ignored = checkout.makeCurrent()) {
            result = billing.publish(OutgoingEvent.builder("invoice.created", Map.of("id", "INV-1")).build());
        } finally {
            checkout.end();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> telemetry.spansNamed("process " + SUBJECT).size() == 1);

        SpanContext root = checkout.getSpanContext();
        SpanData send = only(telemetry.spansNamed("send " + SUBJECT));
        SpanData process = only(telemetry.spansNamed("process " + SUBJECT));
        SpanData own = only(telemetry.spansNamed("bill invoice"));
        assertThat(send.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(send.getTraceId()).isEqualTo(root.getTraceId());
        assertThat(send.getParentSpanId()).isEqualTo(root.getSpanId());
        assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(process.getTraceId()).isEqualTo(root.getTraceId());
        assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
        assertThat(process.getAttributes().asMap()).containsEntry(
                io.opentelemetry.api.common.AttributeKey.stringKey("messaging.message.id"), result.eventId());
        assertThat(observer.contextOf(result.eventId()).getSpanId()).isEqualTo(process.getSpanId());
        assertThat(own.getParentSpanId()).isEqualTo(process.getSpanId());
        assertThat(own.getTraceId()).isEqualTo(root.getTraceId());

        assertThat(observer.traceparentOf(result.eventId())) // version, trace id, parent id, then the flags
                .startsWith("00-" + send.getTraceId() + "-" + send.getSpanId() + "-");

        await().atMost(Duration.ofSeconds(5)).until(() -> telemetry.counter(CONSUMED_MESSAGES, Map.of()) == 1);
        // OpenTelemetry's messaging conventions, plus the bridge's own attributes
        assertThat(telemetry.counter(SENT_MESSAGES, Map.of(MESSAGING_SYSTEM, "nats", DESTINATION, SUBJECT,
                OPERATION_NAME, "send", APP, "billing", PUBLISHER, "direct", EVENT_TYPE, "invoice.created")))
                .isEqualTo(1);
        assertThat(telemetry.counter(CONSUMED_MESSAGES, Map.of(MESSAGING_SYSTEM, "nats", DESTINATION, SUBJECT,
                OPERATION_NAME, "process", APP, "orders", EVENT_TYPE, "invoice.created"))).isEqualTo(1);
        assertThat(telemetry.histogramCount(OPERATION_DURATION, Map.of(PUBLISHER, "direct", OPERATION_NAME, "send")))
                .isEqualTo(1);
        assertThat(telemetry.histogramCount(PROCESS_DURATION, Map.of(OUTCOME, "ack", OPERATION_NAME, "process")))
                .isEqualTo(1);
        assertThat(telemetry.histogramCount(OPERATION_DURATION, Map.of(ERROR_TYPE, "*"))
                + telemetry.histogramCount(PROCESS_DURATION, Map.of(ERROR_TYPE, "*"))).as("no error.type").isZero();
    }

    @Test
    void inAFetchedBatchEachMessageKeepsItsOwnSpanAroundItsObservers() throws Exception {
        TracedObserver observer = start(Map.of());
        observer.closeGate();
        billing.publish(OutgoingEvent.builder("invoice.created", Map.of("id", "INV-held")).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> observer.entered() == 1);
        java.util.List<String> batched = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batched.add(billing.publish(OutgoingEvent.builder("invoice.created", Map.of("id", "INV-" + i)).build())
                    .eventId());
        }
        observer.openGate(); // the five wait on the server meanwhile, so the next fetch takes them together

        await().atMost(Duration.ofSeconds(10)).until(() -> telemetry.counter(CONSUMED_MESSAGES, Map.of()) == 6);
        var messageId = io.opentelemetry.api.common.AttributeKey.stringKey("messaging.message.id");
        for (String eventId : batched) {
            SpanData process = only(telemetry.spansNamed("process " + SUBJECT).stream()
                    .filter(span -> eventId.equals(span.getAttributes().get(messageId))).toList());
            assertThat(observer.contextOf(eventId).getSpanId()).isEqualTo(process.getSpanId());
        }
        assertThat(telemetry.histogramCount(PROCESS_DURATION, Map.of(OUTCOME, "ack"))).isEqualTo(6);
        assertThat(telemetry.histogramCount(PROCESS_DURATION, Map.of(OUTCOME, "retried_alone"))).isZero();
    }

    @Test
    void countersGrowByExactlyTheNaksDuplicatesAndDeadLetters() throws Exception {
        TracedObserver observer = start(Map.of());

        observer.failNext(1);
        OutgoingEvent event = OutgoingEvent.builder("invoice.created", Map.of("id", "INV-2"))
                .eventId("invoice-2").build();
        PublishResult first = billing.publish(event);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> telemetry.histogramCount(PROCESS_DURATION, Map.of(OUTCOME, "ack")) == 1);
        assertThat(telemetry.counter(NAKS, Map.of(REASON, "handler_failed"))).isEqualTo(1);

        // the same event again, without Nats-Msg-Id so JetStream stores it: the inbox skips it
        JsonProvider json = JsonProvider.provider();
        byte[] sameBody = new EnvelopeCodec(json).encode(new EnvelopeFactory("billing", Clock.systemUTC())
                .create(event, new PayloadMapper(JsonbBuilder.create(), json).toJson(event.payload())));
        billingConnection.jetStream().publish(SUBJECT, sameBody);
        await().atMost(Duration.ofSeconds(10)).until(() -> telemetry.counter(DUPLICATES_SKIPPED, Map.of()) == 1);

        billingConnection.jetStream().publish(SUBJECT, "not json".getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> telemetry.counter(DEAD_LETTERED, Map.of(REASON, "malformed_json")) == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> unfinished() == 0);

        assertThat(observer.calls()).containsExactly(first.eventId());
        assertThat(telemetry.counter(NAKS, Map.of())).isEqualTo(1);
        assertThat(telemetry.counter(DUPLICATES_SKIPPED, Map.of(EVENT_TYPE, "invoice.created"))).isEqualTo(1);
        assertThat(telemetry.counter(DEAD_LETTERED, Map.of())).isEqualTo(1);
        // every delivery once: the nak'ed one, its redelivery, the duplicate, the malformed one
        assertThat(telemetry.counter(CONSUMED_MESSAGES, Map.of())).isEqualTo(4);
        assertThat(telemetry.counter(CONSUMED_MESSAGES, Map.of(ERROR_TYPE, "handler_failed"))).isEqualTo(1);
        assertThat(telemetry.counter(CONSUMED_MESSAGES, Map.of(ERROR_TYPE, "malformed_json"))).isEqualTo(1);
        assertThat(telemetry.counter(CONSUMED_MESSAGES, Map.of(ERROR_TYPE, "*"))).isEqualTo(2);
        assertThat(telemetry.histogramCount(PROCESS_DURATION, Map.of())).isEqualTo(4);
        assertThat(telemetry.histogramCount(PROCESS_DURATION, Map.of(OUTCOME, "ack"))).isEqualTo(2);
        assertThat(telemetry.histogramCount(PROCESS_DURATION, Map.of(OUTCOME, "nak"))).isEqualTo(1);
        assertThat(telemetry.histogramCount(PROCESS_DURATION, Map.of(OUTCOME, "dead_letter"))).isEqualTo(1);
    }

    @Test
    void aPublishThatFailsIsCountedAndItsSpanMarkedAsAnError() {
        BridgeConfig config = BridgeConfig.builder().appName("billing").destinationApp("orders")
                .natsUrls(NATS.url()).set(ConfigKey.CONSUMER_ENABLED, "false")
                .set(ConfigKey.PUBLISH_MAX_ATTEMPTS, "1").build();
        JsonProvider json = JsonProvider.provider();
        JetStreamPublisher oneAttempt = new JetStreamPublisher(billingConnection, config.topology(),
                config.publish(), new EnvelopeFactory("billing", Clock.systemUTC()), new EnvelopeCodec(json),
                new PayloadMapper(JsonbBuilder.create(), json), ForkJoinPool.commonPool(),
                new OpenTelemetryBridgeTelemetry(telemetry.openTelemetry(), "billing"));

        assertThatThrownBy(() -> oneAttempt.publish(OutgoingEvent.builder("invoice.created", Map.of("id", "X"))
                .subject("nobody.listens").build())).isInstanceOf(PublishException.class);

        await().atMost(Duration.ofSeconds(5)).until(() -> telemetry.spansNamed("send nobody.listens").size() == 1);
        assertThat(telemetry.spansNamed("send nobody.listens").get(0).getStatus().getStatusCode())
                .isEqualTo(StatusCode.ERROR);
        assertThat(telemetry.counter(SENT_MESSAGES, Map.of(PUBLISHER, "direct", DESTINATION, "nobody.listens",
                ERROR_TYPE, PublishException.class.getName()))).isEqualTo(1);
        assertThat(telemetry.counter(SENT_MESSAGES, Map.of())).as("only the failed one").isEqualTo(1);
        assertThat(telemetry.histogramCount(OPERATION_DURATION, Map.of(ERROR_TYPE, PublishException.class.getName())))
                .isEqualTo(1);
    }

    @Test
    void theConsumerPendingGaugeShowsTheMessagesNotYetDelivered() {
        TracedObserver observer = start(Map.of("jetstream.bridge.consumer.batch-size", "1"));
        observer.closeGate();
        for (int i = 0; i < 5; i++) {
            billing.publish(OutgoingEvent.builder("invoice.created", Map.of("id", "INV-" + i)).build());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> observer.entered() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> telemetry.longGauge(CONSUMER_PENDING).orElse(-1L) == 4);

        observer.openGate();
        await().atMost(Duration.ofSeconds(10)).until(() -> observer.calls().size() == 5);
        await().atMost(Duration.ofSeconds(10)).until(() -> telemetry.longGauge(CONSUMER_PENDING).orElse(-1L) == 0);
    }
}
