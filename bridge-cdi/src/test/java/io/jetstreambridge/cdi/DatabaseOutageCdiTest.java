package io.jetstreambridge.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.core.consume.ConsumerEngine;
import io.jetstreambridge.cdi.health.BridgeReadinessCheck;
import io.jetstreambridge.core.inbox.InboxEvent;
import io.jetstreambridge.core.publish.DirectPublisher;
import io.jetstreambridge.testing.BillingApp;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.TcpProxy;
import io.jetstreambridge.testing.cdi.BridgeContainers;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.cdi.JtaContainer;
import io.jetstreambridge.testing.jta.TestDatabase;
import io.nats.client.Connection;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.StreamInfoOptions;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The consumer's own database (PostgreSQL, with the inbox) becomes unreachable for much longer than the back-off
 * span: the consumer holds off instead of spending deliveries, so nothing is dead-lettered, and every event is
 * observed once after the database is back. The database is reached through a {@link TcpProxy} the test cuts.
 */
class DatabaseOutageCdiTest {

    private static final String STREAM = "jetstream-bridge-stream";
    private static final String DLQ = "orders.sync.dlq";

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private TcpProxy proxy;
    private JpaHarness jpa;
    private JtaContainer container;
    private Connection billingConnection;
    private DirectPublisher billing;

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        proxy = TcpProxy.to(System.getProperty("jsb.test.postgres.host", "127.0.0.1"),
                Integer.parseInt(System.getProperty("jsb.test.postgres.port", "5432")));
        jpa = JpaHarness.builder().database(TestDatabase.postgresThrough(proxy.port(), "outage"))
                .entities(InboxEvent.class, InvoiceEffect.class)
                .ddlResource("db/jetstream-bridge/postgresql/V1__jetstream_bridge_inbox.sql")
                .ddl(InvoiceEffect.DDL).start();
        billingConnection = BillingApp.connect(NATS.url());
        billing = BillingApp.publisher(billingConnection, NATS.url());
    }

    @AfterEach
    void tearDown() throws Exception {
        proxy.restore();
        if (container != null) {
            container.close();
        }
        billingConnection.close();
        jpa.close();
        proxy.close();
    }

    @Test
    void anOutageLongerThanTheBackoffSpanDeadLettersNothingAndEveryEventIsObservedOnceAfterwards()
            throws Exception {
        // back-off span 0.6 s, three deliveries: without holding off, an outage of 4 s dead-letters what it meets
        container = JtaContainer.builder().jpa(jpa).withConsumer()
                .beanClasses(InvoiceObserver.class, BridgeReadinessCheck.class, AuditInterceptor.class, AuditLog.class)
                .config(BridgeContainers.consumingWithInbox(NATS.url()))
                .config(Map.of(
                        "jetstream.bridge.consumer.concurrency", "3",
                        "jetstream.bridge.consumer.batch-size", "5",
                        "jetstream.bridge.consumer.max-deliver", "3",
                        "jetstream.bridge.consumer.backoff", "200ms,400ms"))
                .start();
        List<String> before = publish(0, 10);
        await().atMost(Duration.ofSeconds(20)).until(() -> unfinished() == 0);

        proxy.cut();
        List<String> during = publish(10, 50);
        await().atMost(Duration.ofSeconds(10)).until(() -> state() == ConsumerEngine.State.WAITING_FOR_DATABASE);
        HealthCheckResponse readiness = container.select(HealthCheck.class, Readiness.Literal.INSTANCE).call();
        assertThat(readiness.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(readiness.getData().orElseThrow().get("reason").toString()).contains("waits for its database");
        // more than six back-off spans: nothing may be dead-lettered meanwhile
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> deadLetters() == 0);
        assertThat(state()).isEqualTo(ConsumerEngine.State.WAITING_FOR_DATABASE);

        proxy.restore();
        await().atMost(Duration.ofSeconds(30)).until(() -> unfinished() == 0);
        assertThat(deadLetters()).isZero();
        assertThat(state()).isEqualTo(ConsumerEngine.State.RUNNING);
        List<String> effects = jpa.inTransaction(em -> em.createQuery(
                "SELECT e.eventId FROM InvoiceEffect e", String.class).getResultList());
        assertThat(effects).hasSize(50).containsExactlyInAnyOrderElementsOf(
                java.util.stream.Stream.concat(before.stream(), during.stream()).toList());
        ConsumerInfo info = billingConnection.jetStreamManagement().getConsumerInfo(STREAM, "orders-workers");
        assertThat(info.getNumPending() + info.getNumAckPending()).isZero();
    }

    private List<String> publish(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> billing.publish(
                OutgoingEvent.builder("invoice.created", Map.of("id", "INV-" + i)).build()))
                .peek(result -> assertThat(result.accepted()).isTrue())
                .map(PublishResult::eventId).toList();
    }

    private ConsumerEngine.State state() {
        return container.select(ConsumerRuntime.class).engines().get(BillingApp.ORDERS_DURABLE).state();
    }

    private long unfinished() throws Exception {
        return BillingApp.unfinishedAtOrders(billingConnection);
    }

    private long deadLetters() throws Exception {
        return billingConnection.jetStreamManagement().getStreamInfo(STREAM, StreamInfoOptions.filterSubjects(DLQ))
                .getStreamState().getSubjectMap().getOrDefault(DLQ, 0L);
    }
}
