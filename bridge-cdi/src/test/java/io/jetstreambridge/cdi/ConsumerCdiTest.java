package io.jetstreambridge.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.core.inbox.InboxEvent;
import io.jetstreambridge.core.publish.DirectPublisher;
import io.jetstreambridge.testing.BillingApp;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.cdi.BridgeContainers;
import io.jetstreambridge.testing.cdi.JtaContainer;
import io.jetstreambridge.testing.jta.BridgeTables;
import io.nats.client.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The consumer as an application sees it, on PostgreSQL: CDI observers in a JTA transaction with the inbox,
 * against a real nats-server.
 */
class ConsumerCdiTest {

    private static final String STREAM = "jetstream-bridge-stream";

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    @RegisterExtension
    static final BridgeTables TABLES = BridgeTables.postgres("consumer").inbox()
            .table(InvoiceEffect.class, InvoiceEffect.DDL, "test_invoice_effects");

    private JtaContainer container;
    private Connection billingConnection;
    private DirectPublisher billing;

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        billingConnection = BillingApp.connect(NATS.url());
        billing = BillingApp.publisher(billingConnection, NATS.url());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (container != null) {
            container.close();
        }
        billingConnection.close();
    }

    private InvoiceObserver start(Map<String, String> extra) {
        container = JtaContainer.builder().jpa(TABLES.jpa()).withConsumer()
                .beanClasses(InvoiceObserver.class, AuditInterceptor.class, AuditLog.class)
                .config(BridgeContainers.consumingWithInbox(NATS.url()))
                .config(Map.of("jetstream.bridge.nats.reconnect-wait", "100ms",
                        "jetstream.bridge.consumer.max-deliver", "3",
                        "jetstream.bridge.consumer.backoff", "200ms,400ms"))
                .config(extra).start();
        return container.select(InvoiceObserver.class);
    }

    private PublishResult publish(String eventType, int id) {
        return billing.publish(OutgoingEvent.builder(eventType, Map.of("id", "INV-" + id)).build());
    }

    private long pending() throws Exception {
        return BillingApp.unfinishedAtOrders(billingConnection);
    }

    private long effects() {
        return TABLES.database().countRows("test_invoice_effects");
    }

    @Test
    void observersSeeEachEventOnceSelectedByQualifiersAndAckFollowsCommit() throws Exception {
        InvoiceObserver observer = start(Map.of());
        List<PublishResult> published = IntStream.range(0, 50).mapToObj(i -> publish("invoice.created", i))
                .toList();
        PublishResult voided = publish("invoice.voided", 99);

        await().atMost(Duration.ofSeconds(20)).until(() -> pending() == 0);
        assertThat(effects()).isEqualTo(50);
        assertThat(observer.calls()).hasSize(50)
                .containsExactlyInAnyOrderElementsOf(published.stream().map(PublishResult::eventId).toList());
        assertThat(observer.allEvents()).hasSize(51);
        assertThat(observer.otherTypes()).containsExactly(voided.eventId());
        assertThat(observer.everything()).hasSize(51);
        assertThat(TABLES.database().queryForLong(
                "SELECT COUNT(*) FROM jetstream_bridge_inbox_events WHERE status = 'processed'")).isEqualTo(51);
    }

    @Test
    void failedObserverRollsBackItsEffectAndTheAttemptIsRecorded() throws Exception {
        InvoiceObserver observer = start(Map.of());
        observer.failNext(1);
        PublishResult published = publish("invoice.created", 1);

        await().atMost(Duration.ofSeconds(10)).until(() -> pending() == 0);
        assertThat(observer.calls()).containsExactly(published.eventId(), published.eventId());
        assertThat(effects()).isEqualTo(1); // the first attempt's row was rolled back
        InboxEvent row = TABLES.jpa().inTransaction(em -> em.find(InboxEvent.class, published.eventId()));
        assertThat(row.processed()).isTrue();
        assertThat(row.attempts()).isEqualTo(1);
        assertThat(row.lastError()).contains("invoice service unavailable");
        assertThat(row.deliveries()).isEqualTo(2);
    }

    @Test
    void anApplicationInterceptorWrapsTheObserversOfEachDelivery() throws Exception {
        InvoiceObserver observer = start(Map.of());
        observer.failNext(1);
        PublishResult published = publish("invoice.created", 5);

        await().atMost(Duration.ofSeconds(10)).until(() -> pending() == 0);
        assertThat(container.select(AuditLog.class).entries()).containsExactly(
                published.eventId() + "#1 failed: invoice service unavailable",
                published.eventId() + "#2 ok");
    }

    @Test
    void observersPastTheProcessingTimeoutAreRolledBackAndRetried() throws Exception {
        InvoiceObserver observer = start(Map.of("jetstream.bridge.consumer.processing-timeout", "1s"));
        observer.slowNext(Duration.ofMillis(2500));
        PublishResult published = publish("invoice.created", 6);

        await().atMost(Duration.ofSeconds(15)).until(() -> pending() == 0);
        assertThat(observer.calls()).containsExactly(published.eventId(), published.eventId());
        assertThat(effects()).isEqualTo(1);
        InboxEvent row = TABLES.jpa().inTransaction(em -> em.find(InboxEvent.class, published.eventId()));
        assertThat(row.attempts()).isEqualTo(1);
        assertThat(row.processed()).isTrue();
    }

    @Test
    void poisonMessagesAreDeadLetteredWithTheInboxOnAndNeverReachObservers() throws Exception {
        InvoiceObserver observer = start(Map.of());
        var js = billingConnection.jetStream();
        js.publish(io.nats.client.impl.NatsMessage.builder().subject("billing.sync.orders")
                .headers(new io.nats.client.impl.Headers().add("Nats-Msg-Id", "poison-1"))
                .data("{\"event_type\": \"order.created\", \"payload\": ".getBytes()).build());
        js.publish(io.nats.client.impl.NatsMessage.builder().subject("billing.sync.orders")
                .headers(new io.nats.client.impl.Headers().add("Nats-Msg-Id", "poison-2"))
                .data("{\"event_id\":\"poison-2\",\"schema_version\":1,\"payload\":{\"id\":1}}".getBytes())
                .build());

        await().atMost(Duration.ofSeconds(10)).until(() -> pending() == 0);
        var dlq = billingConnection.jetStreamManagement().getStreamInfo(STREAM,
                io.nats.client.api.StreamInfoOptions.filterSubjects("orders.sync.dlq"));
        assertThat(dlq.getStreamState().getSubjectMap()).containsEntry("orders.sync.dlq", 2L);
        assertThat(observer.everything()).isEmpty();
        assertThat(TABLES.database().countRows("jetstream_bridge_inbox_events")).isZero();
    }

    @Test
    void anEventPublishedAgainAfterTheDuplicateWindowDoesNotReachObserversTwice() throws Exception {
        InvoiceObserver observer = start(Map.of("jetstream.bridge.stream.duplicate-window", "1s",
                "jetstream.bridge.publish.ack-timeout", "200ms", "jetstream.bridge.publish.max-attempts", "2",
                "jetstream.bridge.publish.retry-backoff", "100ms"));
        OutgoingEvent event = OutgoingEvent.builder("invoice.created", Map.of("id", "INV-7"))
                .eventId("same-event").build();
        billing.publish(event);
        await().atMost(Duration.ofSeconds(10)).until(() -> observer.calls().size() == 1 && pending() == 0);

        // JetStream drops copies inside its window; once it has passed, the same event id is stored again
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> !billing.publish(event).duplicate());
        await().atMost(Duration.ofSeconds(10)).until(() -> pending() == 0);

        assertThat(observer.calls()).containsExactly("same-event");
        assertThat(effects()).isEqualTo(1);
    }

    @Test
    void aFetchedBatchIsProcessedInOneTransaction() throws Exception {
        InvoiceObserver observer = start(Map.of("jetstream.bridge.consumer.batch-size", "100"));
        List<OutgoingEvent> events = IntStream.range(0, 500)
                .mapToObj(i -> OutgoingEvent.builder("invoice.created", Map.of("id", "INV-" + i)).build())
                .toList();
        assertThat(billing.publishAll(events)).allMatch(PublishResult::accepted);

        await().atMost(Duration.ofSeconds(60)).until(() -> pending() == 0);
        assertThat(effects()).isEqualTo(500);
        assertThat(observer.calls()).hasSize(500).doesNotHaveDuplicates();
        assertThat(TABLES.database().queryForLong(
                "SELECT COUNT(*) FROM jetstream_bridge_inbox_events WHERE status = 'processed'")).isEqualTo(500);
        // batches of up to 100 share a transaction: far fewer transactions than events
        assertThat(new java.util.HashSet<>(observer.transactionOf().values()).size()).isLessThan(250);
    }

    @Test
    void aPoisonEventInABatchFailsAloneWhileItsNeighboursCommitOnce() throws Exception {
        InvoiceObserver observer = start(Map.of("jetstream.bridge.consumer.batch-size", "100"));
        observer.failAlways("poison-in-batch");
        List<OutgoingEvent> events = IntStream.range(0, 200)
                .mapToObj(i -> OutgoingEvent.builder("invoice.created", Map.of("id", "INV-" + i))
                        .eventId(i == 100 ? "poison-in-batch" : "neighbour-" + i).build())
                .toList();
        assertThat(billing.publishAll(events)).allMatch(PublishResult::accepted);

        await().atMost(Duration.ofSeconds(30)).until(() -> pending() == 0);
        assertThat(effects()).isEqualTo(199);
        assertThat(TABLES.database().queryForLong("SELECT COUNT(DISTINCT event_id) FROM test_invoice_effects "
                + "WHERE event_id LIKE 'neighbour-%'")).isEqualTo(199);
        // exactly as without batching: one recorded attempt per delivery, dead-lettered after max-deliver (3)
        InboxEvent poison = TABLES.jpa().inTransaction(em -> em.find(InboxEvent.class, "poison-in-batch"));
        assertThat(poison.processed()).isFalse();
        assertThat(poison.attempts()).isEqualTo(3);
        assertThat(poison.lastError()).contains("poison invoice poison-in-batch");
        var dlq = billingConnection.jetStreamManagement().getStreamInfo(STREAM,
                io.nats.client.api.StreamInfoOptions.filterSubjects("orders.sync.dlq"));
        assertThat(dlq.getStreamState().getSubjectMap()).containsEntry("orders.sync.dlq", 1L);
        assertThat(TABLES.database().queryForLong(
                "SELECT COUNT(*) FROM jetstream_bridge_inbox_events WHERE status = 'processed'")).isEqualTo(199);
    }

    @Test
    void fourWorkersTenThousandMessagesEveryEffectExactlyOnce() throws Exception {
        InvoiceObserver observer = start(Map.of("jetstream.bridge.consumer.concurrency", "4",
                "jetstream.bridge.consumer.batch-size", "100"));
        List<OutgoingEvent> events = IntStream.range(0, 10_000)
                .mapToObj(i -> OutgoingEvent.builder("invoice.created", Map.of("id", "INV-" + i)).build())
                .toList();
        assertThat(billing.publishAll(events)).allMatch(PublishResult::accepted);

        await().atMost(Duration.ofMinutes(3)).until(() -> pending() == 0);
        assertThat(effects()).isEqualTo(10_000);
        assertThat(observer.calls().stream().distinct().count()).isEqualTo(10_000);
    }

    @Test
    void natsKilledAndRestartedMidFlowEveryEffectExactlyOnce() throws Exception {
        start(Map.of("jetstream.bridge.consumer.concurrency", "4", "jetstream.bridge.consumer.batch-size", "100"));
        List<OutgoingEvent> events = IntStream.range(0, 10_000)
                .mapToObj(i -> OutgoingEvent.builder("invoice.created", Map.of("id", "INV-" + i)).build())
                .toList();
        assertThat(billing.publishAll(events)).allMatch(PublishResult::accepted);
        await().atMost(Duration.ofMinutes(1)).until(() -> effects() >= 2_000);

        NATS.server().kill();
        NATS.server().restart();

        await().atMost(Duration.ofMinutes(3)).until(() -> pending() == 0);
        assertThat(effects()).isEqualTo(10_000);
        assertThat(container.select(ConsumerRuntime.class).engines().get(BillingApp.ORDERS_DURABLE).state())
                .isEqualTo(io.jetstreambridge.core.consume.ConsumerEngine.State.RUNNING);
    }
}
