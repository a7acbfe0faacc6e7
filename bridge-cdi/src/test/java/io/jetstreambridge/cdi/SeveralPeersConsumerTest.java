package io.jetstreambridge.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.cdi.PeerObserver.Call;
import io.jetstreambridge.core.consume.ConsumerEngine;
import io.jetstreambridge.core.publish.DirectPublisher;
import io.jetstreambridge.core.telemetry.BridgeTelemetry;
import io.jetstreambridge.core.telemetry.TelemetryNames;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.testing.BillingApp;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.cdi.BridgeContainers;
import io.jetstreambridge.testing.cdi.JtaContainer;
import io.jetstreambridge.testing.cdi.PeerDurables;
import io.jetstreambridge.testing.jta.BridgeTables;
import io.jetstreambridge.testing.telemetry.InMemoryTelemetry;
import io.jetstreambridge.testing.telemetry.OpenTelemetryBean;
import io.nats.client.Connection;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.MessageInfo;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * An application with two peers ({@code destination-apps=billing,shipping}): one durable each, every peer's events
 * through the same observer, inbox and dead-letter subject, on PostgreSQL and a real nats-server.
 */
class SeveralPeersConsumerTest {

    private static final String STREAM = BillingApp.STREAM;
    private static final String SHIPPING_DURABLE = "orders-workers-shipping";

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    @RegisterExtension
    static final BridgeTables TABLES = BridgeTables.postgres("peers").inbox()
            .table(InvoiceEffect.class, InvoiceEffect.DDL, "test_invoice_effects");

    private InMemoryTelemetry telemetry;
    private JtaContainer container;
    private Connection billingConnection;
    private DirectPublisher billing;
    private DirectPublisher shipping;

    @BeforeEach
    void setUp() {
        NATS.cleanJetStream();
        telemetry = new InMemoryTelemetry();
        OpenTelemetryBean.use(telemetry.openTelemetry());
        billingConnection = BillingApp.connect(NATS.url());
        billing = BillingApp.publisher(billingConnection, NATS.url());
        shipping = BillingApp.publisherAs("shipping", billingConnection, NATS.url(), BridgeTelemetry.NONE);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (container != null) {
            container.close();
        }
        billingConnection.close();
        telemetry.close();
    }

    static Map<String, String> twoPeers(String natsUrl) {
        Map<String, String> config = BridgeContainers.consumingWithInbox(natsUrl);
        config.remove("jetstream.bridge.destination-app");
        config.put("jetstream.bridge.destination-apps", "billing,shipping");
        config.put("jetstream.bridge.consumer.max-deliver", "3");
        config.put("jetstream.bridge.consumer.backoff", "200ms,400ms");
        return config;
    }

    private PeerObserver start(Map<String, String> extra) throws Exception {
        Map<String, String> config = twoPeers(NATS.url());
        config.putAll(extra);
        PeerDurables.provision(billingConnection, config);
        container = JtaContainer.builder().jpa(TABLES.jpa()).withConsumer()
                .beanClasses(PeerObserver.class, OpenTelemetryBean.class)
                .config(config).start();
        return container.select(PeerObserver.class);
    }

    private long unfinished(String durable) throws Exception {
        ConsumerInfo info = billingConnection.jetStreamManagement().getConsumerInfo(STREAM, durable);
        return info.getNumPending() + info.getNumAckPending();
    }

    private boolean bothFinished() throws Exception {
        return unfinished(BillingApp.ORDERS_DURABLE) == 0 && unfinished(SHIPPING_DURABLE) == 0;
    }

    private long effects() {
        return TABLES.database().countRows("test_invoice_effects");
    }

    private static OutgoingEvent invoice(String id) {
        return OutgoingEvent.builder("invoice.created", Map.of("id", id)).build();
    }

    @Test
    void eachPeersEventsReachTheSameObserverOnceEachThroughTheirOwnDurable() throws Exception {
        PeerObserver observer = start(Map.of());
        assertThat(container.select(ConsumerRuntime.class).engines()).as("one engine per peer, the primary first")
                .containsOnlyKeys(BillingApp.ORDERS_DURABLE, SHIPPING_DURABLE);
        assertThat(container.select(ConsumerRuntime.class).engines().keySet())
                .containsExactly(BillingApp.ORDERS_DURABLE, SHIPPING_DURABLE);

        List<PublishResult> fromBilling = IntStream.range(0, 20).mapToObj(i -> billing.publish(invoice("B-" + i)))
                .toList();
        List<PublishResult> fromShipping = IntStream.range(0, 20)
                .mapToObj(i -> shipping.publish(invoice("S-" + i))).toList();

        await().atMost(Duration.ofSeconds(20)).until(() -> observer.calls().size() == 40 && bothFinished());
        assertThat(observer.calls()).filteredOn(c -> c.subject().equals("billing.sync.orders"))
                .extracting(Call::eventId)
                .containsExactlyInAnyOrderElementsOf(fromBilling.stream().map(PublishResult::eventId).toList());
        assertThat(observer.calls()).filteredOn(c -> c.subject().equals("shipping.sync.orders"))
                .allMatch(c -> c.producer().equals("shipping"))
                .extracting(Call::eventId)
                .containsExactlyInAnyOrderElementsOf(fromShipping.stream().map(PublishResult::eventId).toList());
        assertThat(effects()).isEqualTo(40);
        assertThat(TABLES.database().queryForLong(
                "SELECT COUNT(*) FROM jetstream_bridge_inbox_events WHERE status = 'processed'")).isEqualTo(40);
        assertThat(container.select(ConsumerRuntime.class).engines().values())
                .allMatch(e -> e.state() == ConsumerEngine.State.RUNNING);
    }

    @Test
    void aRedeliveredOrRepeatedMessageOfOnePeerIsNotDoubled() throws Exception {
        PeerObserver observer = start(Map.of());
        observer.failOnce("ship-fail-1"); // its first delivery fails after writing its effect, and is redelivered
        PublishResult failing = shipping.publish(OutgoingEvent.builder("invoice.created", Map.of("id", "S-1"))
                .eventId("ship-fail-1").build());

        await().atMost(Duration.ofSeconds(10)).until(() -> observer.calls().size() == 2 && bothFinished());
        assertThat(observer.calls()).extracting(Call::eventId).containsExactly(failing.eventId(), failing.eventId());

        // the same event again on shipping's subject, as a resend after a lost ack would bring it (own message id,
        // so JetStream stores it): the inbox knows it, the observer is not called
        String body = Json.createObjectBuilder().add("event_id", "ship-repeat-1").add("schema_version", 1)
                .add("event_type", "invoice.created").add("producer", "shipping").add("resource_type", "invoice")
                .add("payload", Json.createObjectBuilder().add("id", "S-2")).build().toString();
        for (int copy = 1; copy <= 2; copy++) {
            Headers headers = new Headers().put("Nats-Msg-Id", "ship-repeat-1-copy-" + copy);
            billingConnection.jetStream().publish(NatsMessage.builder().subject("shipping.sync.orders")
                    .headers(headers).data(body, StandardCharsets.UTF_8).build());
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> bothFinished()
                && TABLES.database().queryForLong("SELECT COUNT(*) FROM jetstream_bridge_inbox_events "
                + "WHERE event_id = 'ship-repeat-1' AND status = 'processed'") == 1);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> observer.calls().size() == 3);
        assertThat(observer.calls()).extracting(Call::eventId)
                .containsExactly(failing.eventId(), failing.eventId(), "ship-repeat-1");
        assertThat(effects()).isEqualTo(2);
    }

    @Test
    void aPoisonMessageOfTheSecondPeerIsDeadLetteredToTheOneDlqNamingItsDurable() throws Exception {
        PeerObserver observer = start(Map.of());
        billingConnection.jetStream().publish(NatsMessage.builder().subject("shipping.sync.orders")
                .headers(new Headers().put("Nats-Msg-Id", "shipping-poison-1"))
                .data("not json at all", StandardCharsets.UTF_8).build());
        PublishResult healthy = billing.publish(invoice("B-1"));

        await().atMost(Duration.ofSeconds(10)).until(() -> bothFinished() && dlqCopies() == 1);
        MessageInfo copy = billingConnection.jetStreamManagement().getLastMessage(STREAM, "orders.sync.dlq");
        assertThat(copy.getHeaders().getFirst("x-dlq-reason")).isEqualTo("malformed_json");
        JsonObject context = Json.createReader(new StringReader(copy.getHeaders().getFirst("x-dlq-context")))
                .readObject();
        assertThat(context.getString("consumer")).isEqualTo(SHIPPING_DURABLE);
        assertThat(context.getString("original_subject")).isEqualTo("shipping.sync.orders");
        assertThat(new String(copy.getData(), StandardCharsets.UTF_8)).isEqualTo("not json at all");
        await().atMost(Duration.ofSeconds(5)).until(() -> observer.calls().size() == 1);
        assertThat(observer.calls()).extracting(Call::eventId).containsExactly(healthy.eventId());
    }

    private long dlqCopies() throws Exception {
        return billingConnection.jetStreamManagement().getStreamInfo(STREAM,
                        io.nats.client.api.StreamInfoOptions.filterSubjects("orders.sync.dlq"))
                .getStreamState().getSubjects().stream().filter(s -> s.getName().equals("orders.sync.dlq"))
                .mapToLong(io.nats.client.api.Subject::getCount).sum();
    }

    @Test
    void thePendingGaugeReportsEachDurableOnItsOwn() throws Exception {
        PeerObserver observer = start(Map.of("jetstream.bridge.consumer.batch-size", "1"));
        observer.hold("shipping");
        for (int i = 0; i < 4; i++) {
            shipping.publish(invoice("S-" + i));
        }
        billing.publish(invoice("B-1"));

        // shipping's worker holds its first message: three wait on its durable; billing's is done
        await().atMost(Duration.ofSeconds(10)).until(() -> pendingOf(SHIPPING_DURABLE) == 3
                && pendingOf(BillingApp.ORDERS_DURABLE) == 0);

        observer.release("shipping");
        await().atMost(Duration.ofSeconds(10)).until(() -> pendingOf(SHIPPING_DURABLE) == 0);
        await().atMost(Duration.ofSeconds(10)).until(this::bothFinished);
        assertThat(observer.calls()).hasSize(5);
    }

    private long pendingOf(String durable) {
        return telemetry.longGauge(TelemetryNames.CONSUMER_PENDING, Map.of(TelemetryNames.CONSUMER_GROUP, durable))
                .orElse(-1L);
    }
}
