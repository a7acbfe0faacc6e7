package io.jetstreambridge.outbox.cdi;

import static io.jetstreambridge.core.telemetry.TelemetryNames.APP;
import static io.jetstreambridge.core.telemetry.TelemetryNames.CONSUMED_MESSAGES;
import static io.jetstreambridge.core.telemetry.TelemetryNames.DESTINATION;
import static io.jetstreambridge.core.telemetry.TelemetryNames.ERROR_TYPE;
import static io.jetstreambridge.core.telemetry.TelemetryNames.EVENT_TYPE;
import static io.jetstreambridge.core.telemetry.TelemetryNames.OPERATION_DURATION;
import static io.jetstreambridge.core.telemetry.TelemetryNames.OPERATION_NAME;
import static io.jetstreambridge.core.telemetry.TelemetryNames.OUTBOX_CREATED;
import static io.jetstreambridge.core.telemetry.TelemetryNames.OUTBOX_FAILED;
import static io.jetstreambridge.core.telemetry.TelemetryNames.OUTBOX_OLDEST_AGE;
import static io.jetstreambridge.core.telemetry.TelemetryNames.OUTBOX_PENDING;
import static io.jetstreambridge.core.telemetry.TelemetryNames.PUBLISHER;
import static io.jetstreambridge.core.telemetry.TelemetryNames.SENT_MESSAGES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.core.outbox.OutboxEvent;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.publish.Publisher;
import io.jetstreambridge.cdi.BridgeEntityManagers;
import io.jetstreambridge.cdi.ConsumerRuntime;
import io.jetstreambridge.core.inbox.InboxEvent;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.cdi.JtaContainer;
import io.jetstreambridge.testing.jta.TestDatabase;
import io.jetstreambridge.testing.telemetry.InMemoryTelemetry;
import io.jetstreambridge.testing.telemetry.OpenTelemetryBean;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.transaction.UserTransaction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One trace from the business transaction through the outbox row and the relay to the observers, and the outbox
 * metrics, read from an in-memory OpenTelemetry SDK; real nats-server, outbox and inbox on PostgreSQL. The
 * application publishes to its own consume subject so one container holds both ends.
 */
class OutboxTelemetryTest {

    private static final String SUBJECT = "billing.sync.orders";

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private static JpaHarness jpa;
    private InMemoryTelemetry telemetry;
    private JtaContainer container;

    @BeforeAll
    static void database() {
        jpa = JpaHarness.builder().database(TestDatabase.postgres("outboxtelemetry"))
                .entities(OutboxEvent.class, InboxEvent.class)
                .ddlResource("db/jetstream-bridge/postgresql/V1__jetstream_bridge_inbox.sql")
                .ddlResource("db/jetstream-bridge/postgresql/V2__jetstream_bridge_outbox.sql")
                .ddlResource("db/jetstream-bridge/postgresql/V3__jetstream_bridge_outbox_indexes.sql").start();
    }

    @AfterAll
    static void closeDatabase() {
        jpa.close();
    }

    @BeforeEach
    void setUp() {
        NATS.cleanJetStream();
        jpa.database().execute("DELETE FROM jetstream_bridge_outbox_events");
        jpa.database().execute("DELETE FROM jetstream_bridge_inbox_events");
        telemetry = new InMemoryTelemetry();
        OpenTelemetryBean.use(telemetry.openTelemetry());
    }

    @AfterEach
    void tearDown() {
        if (container != null) {
            container.close();
        }
        telemetry.close();
    }

    private void start(Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(Map.of(
                "jetstream.bridge.app-name", "orders",
                "jetstream.bridge.destination-app", "billing",
                "jetstream.bridge.nats.urls", NATS.url(),
                "jetstream.bridge.outbox.enabled", "true",
                "jetstream.bridge.inbox.enabled", "true",
                "jetstream.bridge.outbox.relay.poll-interval", "200ms",
                "jetstream.bridge.consumer.fetch-timeout", "200ms",
                "jetstream.bridge.publish.ack-timeout", "500ms"));
        config.putAll(extra);
        container = JtaContainer.builder().jpa(jpa).withBridgeRuntime()
                .beanClasses(OutboxRuntime.class, OutboxMaintenanceService.class, OutboxGauges.class,
                        BridgeEntityManagers.class, ConsumerRuntime.class, TracedOrderObserver.class,
                        OpenTelemetryBean.class)
                .config(config).start();
    }

    private static SpanData only(List<SpanData> spans) {
        assertThat(spans).hasSize(1);
        return spans.get(0);
    }

    @Test
    void publishRelayAndConsumeAreOneTrace() throws Exception {
        // sent rows kept: the test reads the trace context stored with the row after it was relayed
        start(Map.of("jetstream.bridge.outbox.sent-rows", "keep"));
        Span placeOrder = telemetry.openTelemetry().getTracer("test-application").spanBuilder("place order")
                .startSpan();
        UserTransaction tx = container.select(UserTransaction.class);
        PublishResult result;
        try (Scope ignored = placeOrder.makeCurrent()) {
            tx.begin();
            result = container.select(Publisher.class).publish(OutgoingEvent
                    .builder("order.created", Map.of("id", "O-1")).subject(SUBJECT).build());
            tx.commit();
        } finally {
            placeOrder.end();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> telemetry.spansNamed("process " + SUBJECT).size() == 1);

        SpanData create = only(telemetry.spansNamed("create " + SUBJECT));
        SpanData relay = only(telemetry.spansNamed("send " + SUBJECT));
        SpanData process = only(telemetry.spansNamed("process " + SUBJECT));
        String traceId = placeOrder.getSpanContext().getTraceId();
        assertThat(List.of(create, relay, process)).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(traceId));
        assertThat(create.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(create.getParentSpanId()).isEqualTo(placeOrder.getSpanContext().getSpanId());
        assertThat(relay.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(relay.getParentSpanId()).isEqualTo(create.getSpanId());
        assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(process.getParentSpanId()).isEqualTo(relay.getSpanId());
        assertThat(container.select(TracedOrderObserver.class).contextOf(result.eventId()).getSpanId())
                .isEqualTo(process.getSpanId());
        // the trace context is stored with the row, in its headers column
        assertThat(jpa.database().queryForLong("SELECT COUNT(*) FROM jetstream_bridge_outbox_events "
                + "WHERE event_id = ? AND headers LIKE ?", result.eventId(),
                "%\"traceparent\":\"00-" + traceId + "-" + create.getSpanId() + "-%")).isEqualTo(1);

        await().atMost(Duration.ofSeconds(5)).until(() -> telemetry.counter(CONSUMED_MESSAGES, Map.of()) == 1);
        assertThat(telemetry.counter(OUTBOX_CREATED, Map.of(PUBLISHER, "outbox", OPERATION_NAME, "create",
                EVENT_TYPE, "order.created", DESTINATION, SUBJECT, APP, "orders"))).isEqualTo(1);
        assertThat(telemetry.counter(SENT_MESSAGES, Map.of(PUBLISHER, "relay", DESTINATION, SUBJECT,
                OPERATION_NAME, "send"))).isEqualTo(1);
        assertThat(telemetry.counter(SENT_MESSAGES, Map.of(ERROR_TYPE, "*"))).isZero();
        assertThat(telemetry.histogramCount(OPERATION_DURATION, Map.of(PUBLISHER, "relay"))).isEqualTo(1);
    }

    @Test
    void theBacklogGaugesShowRowsWaitingAndRowsFailed() {
        start(Map.of("jetstream.bridge.consumer.enabled", "false",
                "jetstream.bridge.inbox.enabled", "false",
                "jetstream.bridge.outbox.relay.max-attempts", "100",
                "jetstream.bridge.outbox.relay.retry-backoff", "100ms",
                // so many attempts need a window as long as their retry span (about 9 hours)
                "jetstream.bridge.stream.duplicate-window", "1d"));
        Publisher publisher = container.select(Publisher.class);
        for (String id : List.of("O-2", "O-3")) { // no stream captures this subject: every attempt fails
            publisher.publish(OutgoingEvent.builder("order.created", Map.of("id", id)).subject("nobody.listens")
                    .build());
        }

        await().atMost(Duration.ofSeconds(10))
                .until(() -> telemetry.counter(SENT_MESSAGES, Map.of(PUBLISHER, "relay", ERROR_TYPE, "*")) >= 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> telemetry.longGauge(OUTBOX_PENDING).orElse(-1L) == 2
                && telemetry.doubleGauge(OUTBOX_OLDEST_AGE).orElse(0.0) > 0);
        assertThat(telemetry.longGauge(OUTBOX_FAILED)).contains(0L);
        assertThat(telemetry.counter(SENT_MESSAGES, Map.of()))
                .isEqualTo(telemetry.counter(SENT_MESSAGES, Map.of(ERROR_TYPE, "*")));
        assertThat(telemetry.counter(OUTBOX_CREATED, Map.of(PUBLISHER, "outbox"))).isEqualTo(2);
    }

    @Test
    void rowsThatUsedUpTheirAttemptsMoveToTheFailedGauge() {
        start(Map.of("jetstream.bridge.consumer.enabled", "false",
                "jetstream.bridge.inbox.enabled", "false",
                "jetstream.bridge.outbox.relay.max-attempts", "1"));
        Publisher publisher = container.select(Publisher.class);
        // another stream captures the subject: JetStream refuses it, an attempt that counts (a subject no stream
        // takes would go unanswered and be retried without counting)
        io.jetstreambridge.core.outbox.RefusingStream.add(NATS);
        for (String id : List.of("O-4", "O-5")) {
            publisher.publish(OutgoingEvent.builder("order.created", Map.of("id", id)).subject(io.jetstreambridge.core.outbox.RefusingStream.SUBJECT)
                    .build());
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> telemetry.longGauge(OUTBOX_FAILED).orElse(-1L) == 2);
        assertThat(telemetry.longGauge(OUTBOX_PENDING)).contains(0L);
        assertThat(telemetry.doubleGauge(OUTBOX_OLDEST_AGE)).contains(0.0);
        assertThat(telemetry.counter(SENT_MESSAGES, Map.of(DESTINATION, io.jetstreambridge.core.outbox.RefusingStream.SUBJECT,
                ERROR_TYPE, "*"))).isEqualTo(2);
    }
}
