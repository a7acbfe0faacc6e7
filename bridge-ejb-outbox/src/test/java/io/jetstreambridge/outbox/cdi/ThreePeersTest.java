package io.jetstreambridge.outbox.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.cdi.health.BridgeReadinessCheck;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.Publisher;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.cdi.JtaContainer;
import io.jetstreambridge.testing.jta.BridgeTables;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.api.ConsumerInfo;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Issue 18's acceptance: three applications on one stream. {@code orders} is the full bridge in a CDI container
 * (outbox and inbox on, {@code destination-apps=billing,shipping}); {@code shipping} is a second Java application on
 * the bridge ({@code destination-app=orders}) in a container of its own; {@code billing} is a Rails application on
 * the Ruby gem, played by a plain jnats client ({@link GemPeer}) that knows only its own subjects and durable.
 * Each application records what it receives in its own database, and the tests count those records by event id.
 *
 * <p>The two containers run side by side in this JVM, each with its MicroProfile Config registered for a class loader
 * of its own (the context class loader while it starts), as a server keeps two applications' configurations apart.
 */
class ThreePeersTest {

    private static final String STREAM = "jetstream-bridge-stream";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    @RegisterExtension
    static final BridgeTables ORDERS_TABLES = BridgeTables.postgres("peersorders").outbox().inbox()
            .table(TestOrder.class, TestOrder.DDL, "test_orders")
            .table(PeerEffect.class, PeerEffect.DDL, PeerEffect.TABLE);

    @RegisterExtension
    static final BridgeTables SHIPPING_TABLES = BridgeTables.postgres("peersshipping").inbox()
            .table(PeerEffect.class, PeerEffect.DDL, PeerEffect.TABLE);

    private JtaContainer orders;
    private JtaContainer shipping;
    private GemPeer billing;
    private JetStreamManagement jsm;

    @BeforeEach
    void setUp() throws IOException {
        NATS.cleanJetStream();
        jsm = NATS.connect().jetStreamManagement();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        stopOrders();
        if (shipping != null) {
            shipping.close();
        }
        if (billing != null) {
            billing.close();
        }
    }

    @Test
    void everyEventReachesEachIntendedPeerOnceAndNoOtherOne() throws Exception {
        startOrders(Map.of("jetstream.bridge.destination-apps", "billing,shipping"));
        billing = GemPeer.provision(NATS.connect());
        billing.nakOnce("O-2:billing");
        billing.start();
        startShipping();
        shipping.select(PeerEffectObserver.class).failOnce("O-3:shipping");
        PeerEffectObserver ordersObserver = orders.select(PeerEffectObserver.class);
        ordersObserver.failOnce("B-2");

        PeerOrderService service = orders.select(PeerOrderService.class);
        for (int i = 1; i <= 4; i++) {
            service.placeForAll("O-" + i, "billing", "shipping");
        }
        service.placeFor("billing", "O-B");
        service.placeFor("shipping", "O-S");
        Message sentTwice = billing.publish("B-1", "invoice.created", "INV-1");
        billing.resend(sentTwice);
        billing.publish("B-2", "invoice.created", "INV-2");
        Publisher shippingPublisher = shipping.select(Publisher.class);
        for (int i = 1; i <= 3; i++) {
            shippingPublisher.publish(OutgoingEvent.builder("shipment.created", Map.of("id", "SH-" + i))
                    .eventId("SH-" + i).build());
        }

        List<String> toBilling = List.of("O-1:billing", "O-2:billing", "O-3:billing", "O-4:billing", "O-B");
        List<String> toShipping = List.of("O-1:shipping", "O-2:shipping", "O-3:shipping", "O-4:shipping", "O-S");
        List<String> toOrders = List.of("B-1", "B-2", "SH-1", "SH-2", "SH-3");
        // everything stored was consumed and acked: nothing waits on a subject nobody consumes
        await().atMost(WAIT).untilAsserted(() -> assertThat(billing.acked().size() >= toBilling.size()
                && effects(SHIPPING_TABLES).size() >= toShipping.size()
                && effects(ORDERS_TABLES).size() >= toOrders.size()
                && streamMessages() == 0).as(this::fleet).isTrue());

        // billing, the gem: its own copies once each, from its own subject, and none of shipping's
        assertThat(billing.acked()).containsExactlyInAnyOrderElementsOf(toBilling);
        assertThat(billing.deliveries()).allSatisfy(d -> assertThat(d.subject()).isEqualTo("orders.sync.billing"));
        assertThat(billing.deliveries()).filteredOn(d -> d.eventId().equals("O-2:billing"))
                .extracting(GemPeer.Delivery::deliveredCount, GemPeer.Delivery::acked)
                .containsExactly(tuple(1L, false), tuple(2L, true));
        // shipping, on the bridge: its own copies once each, the failed one redelivered and still once
        assertThat(effects(SHIPPING_TABLES)).containsOnlyKeys(toShipping)
                .allSatisfy((id, effect) -> assertThat(effect).as(id)
                        .isEqualTo(new Effect(1, "orders", "orders.sync.shipping")));
        assertThat(shipping.select(PeerEffectObserver.class).calls()).filteredOn("O-3:shipping"::equals).hasSize(2);
        // orders: each peer's events once, billing's resent message and failed delivery included
        Map<String, Effect> atOrders = effects(ORDERS_TABLES);
        assertThat(atOrders).containsOnlyKeys(toOrders);
        assertThat(atOrders.get("B-1")).isEqualTo(new Effect(1, "billing", "billing.sync.orders"));
        assertThat(atOrders.get("B-2")).isEqualTo(new Effect(1, "billing", "billing.sync.orders"));
        Stream.of("SH-1", "SH-2", "SH-3").forEach(id ->
                assertThat(atOrders.get(id)).isEqualTo(new Effect(1, "shipping", "shipping.sync.orders")));
        assertThat(ordersObserver.calls()).filteredOn("B-2"::equals).hasSize(2);
        // what the stream ever stored: 8 fan-out copies, 2 single events, billing's 3 (one re-sent: its lower-case
        // id is no dedupe id to nats-server 2.9) and shipping's 3; nothing else, on no other subject, no dead letter
        assertThat(jsm.getStreamInfo(STREAM).getStreamState().getLastSequence()).isEqualTo(16);
        // the outbox sent everything; every durable is done
        assertThat(ORDERS_TABLES.database().queryForLong("SELECT COUNT(*) FROM jetstream_bridge_outbox_events "
                + "WHERE status <> 'sent'")).isZero();
        for (String durable : List.of("orders-workers", "orders-workers-shipping", "shipping-workers",
                "billing-workers")) {
            assertThat(unfinished(durable)).as(durable).isZero();
        }
        assertThat(jsm.getConsumerInfo(STREAM, "orders-workers").getConsumerConfiguration().getFilterSubject())
                .isEqualTo("billing.sync.orders");
        assertThat(jsm.getConsumerInfo(STREAM, "orders-workers-shipping").getConsumerConfiguration()
                .getFilterSubject()).isEqualTo("shipping.sync.orders");
    }

    @Test
    void aPeerAddedRemovedAndAddedAgainByRestartingKeepsItsDurableAndLosesNothing() throws Exception {
        // orders as it was: one peer, the gem's billing
        startOrders(Map.of("jetstream.bridge.destination-app", "billing"));
        billing = GemPeer.provision(NATS.connect());
        billing.start();
        assertThat(streamSubjects()).doesNotContain("orders.sync.shipping", "shipping.sync.orders");
        assertThat(jsm.getConsumerNames(STREAM)).doesNotContain("orders-workers-shipping");

        // shipping added, before it runs: orders puts shipping's subjects on the stream and makes its durable
        restartOrders(Map.of("jetstream.bridge.destination-apps", "billing,shipping"));
        assertThat(streamSubjects()).contains("orders.sync.billing", "billing.sync.orders", "orders.sync.shipping",
                "shipping.sync.orders");
        assertThat(jsm.getConsumerInfo(STREAM, "orders-workers-shipping").getConsumerConfiguration()
                .getFilterSubject()).isEqualTo("shipping.sync.orders");
        assertThat(jsm.getConsumerInfo(STREAM, "orders-workers").getConsumerConfiguration().getFilterSubject())
                .isEqualTo("billing.sync.orders");
        startShipping();
        shipping.select(Publisher.class).publish(OutgoingEvent.builder("shipment.created", Map.of("id", "SH-0"))
                .eventId("SH-0").build());
        orders.select(PeerOrderService.class).placeFor("shipping", "O-1");
        orders.select(PeerOrderService.class).placeFor("billing", "O-2");
        shipping.select(Publisher.class).publish(OutgoingEvent.builder("shipment.created", Map.of("id", "SH-1"))
                .eventId("SH-1").build());
        await().atMost(WAIT).untilAsserted(() -> assertThat(effects(SHIPPING_TABLES).containsKey("O-1")
                && billing.acked().contains("O-2") && effects(ORDERS_TABLES).keySet().containsAll(List.of("SH-0",
                "SH-1")) && unfinished("orders-workers-shipping") == 0).as(this::fleet).isTrue());

        // shipping removed: its durable and subjects stay, its new events wait in the stream
        restartOrders(Map.of("jetstream.bridge.destination-apps", "billing"));
        assertThat(streamSubjects()).contains("orders.sync.shipping", "shipping.sync.orders");
        assertThat(jsm.getConsumerNames(STREAM)).contains("orders-workers-shipping");
        Publisher shippingPublisher = shipping.select(Publisher.class);
        for (int i = 2; i <= 4; i++) {
            shippingPublisher.publish(OutgoingEvent.builder("shipment.created", Map.of("id", "SH-" + i))
                    .eventId("SH-" + i).build());
        }
        await().atMost(WAIT).until(() -> jsm.getConsumerInfo(STREAM, "orders-workers-shipping").getNumPending() == 3);
        // orders consumes from billing meanwhile: an event billing sends after shipping's has arrived
        billing.publish("B-1", "invoice.created", "INV-1");
        await().atMost(WAIT).until(() -> effects(ORDERS_TABLES).containsKey("B-1"));
        assertThat(effects(ORDERS_TABLES)).doesNotContainKeys("SH-2", "SH-3", "SH-4");
        ConsumerInfo waiting = jsm.getConsumerInfo(STREAM, "orders-workers-shipping");
        assertThat(waiting.getNumPending()).isEqualTo(3);
        assertThat(waiting.getNumAckPending()).isZero();
        assertThat(readiness().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThatThrownBy(() -> orders.select(PeerOrderService.class).placeFor("shipping", "O-3"))
                .hasStackTraceContaining("'shipping' is not one of this application's peers");

        // shipping back: what waited arrives, once each
        restartOrders(Map.of("jetstream.bridge.destination-apps", "billing,shipping"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(effects(ORDERS_TABLES).keySet()
                .containsAll(List.of("SH-2", "SH-3", "SH-4")) && unfinished("orders-workers-shipping") == 0)
                .as(this::fleet).isTrue());
        assertThat(effects(ORDERS_TABLES)).containsOnlyKeys("SH-0", "SH-1", "B-1", "SH-2", "SH-3", "SH-4")
                .allSatisfy((id, effect) -> assertThat(effect.count()).as(id).isEqualTo(1));

        // the primary moved: refused at start-up, the gem's durable name keeps billing's subject
        stopOrders();
        assertThatThrownBy(() -> startOrders(Map.of("jetstream.bridge.destination-apps", "shipping,billing")))
                .hasStackTraceContaining("orders-workers").hasStackTraceContaining("billing.sync.orders")
                .hasStackTraceContaining("shipping.sync.orders").hasStackTraceContaining("Keep 'billing' first")
                // the advice names both durables to delete, as thePrimaryIsChangedDeliberately... shows
                .hasStackTraceContaining("nats consumer rm jetstream-bridge-stream orders-workers-shipping");
        assertThat(jsm.getConsumerInfo(STREAM, "orders-workers").getConsumerConfiguration().getFilterSubject())
                .isEqualTo("billing.sync.orders");
    }

    @Test
    void thePrimaryIsChangedDeliberatelyByDeletingBothDrainedDurables() throws Exception {
        startOrders(Map.of("jetstream.bridge.destination-apps", "billing,shipping"));
        billing = GemPeer.provision(NATS.connect());
        billing.start();
        startShipping();
        billing.publish("B-1", "invoice.created", "INV-1");
        shipping.select(Publisher.class).publish(OutgoingEvent.builder("shipment.created", Map.of("id", "SH-1"))
                .eventId("SH-1").build());
        await().atMost(WAIT).untilAsserted(() -> assertThat(effects(ORDERS_TABLES).keySet().containsAll(
                List.of("B-1", "SH-1")) && unfinished("orders-workers") == 0
                && unfinished("orders-workers-shipping") == 0).as(this::fleet).isTrue());
        stopOrders();

        // deleting only the old primary's durable is not enough: shipping's own durable still holds its subject,
        // and a work-queue stream takes one consumer per subject
        jsm.deleteConsumer(STREAM, "orders-workers");
        assertThatThrownBy(() -> startOrders(Map.of("jetstream.bridge.destination-apps", "shipping,billing")))
                .hasStackTraceContaining("orders-workers").hasStackTraceContaining("not unique");

        // both deleted: the new primary's durable takes the gem's name, billing's becomes a further one, and what the
        // peers sent while orders was down arrives (deliver all), once each
        jsm.deleteConsumer(STREAM, "orders-workers-shipping");
        billing.publish("B-2", "invoice.created", "INV-2");
        shipping.select(Publisher.class).publish(OutgoingEvent.builder("shipment.created", Map.of("id", "SH-2"))
                .eventId("SH-2").build());
        startOrders(Map.of("jetstream.bridge.destination-apps", "shipping,billing"));
        assertThat(jsm.getConsumerInfo(STREAM, "orders-workers").getConsumerConfiguration().getFilterSubject())
                .isEqualTo("shipping.sync.orders");
        assertThat(jsm.getConsumerInfo(STREAM, "orders-workers-billing").getConsumerConfiguration()
                .getFilterSubject()).isEqualTo("billing.sync.orders");
        await().atMost(WAIT).untilAsserted(() -> assertThat(effects(ORDERS_TABLES).keySet().containsAll(
                List.of("B-2", "SH-2")) && streamMessages() == 0).as(this::fleet).isTrue());
        assertThat(effects(ORDERS_TABLES)).containsOnlyKeys("B-1", "SH-1", "B-2", "SH-2")
                .allSatisfy((id, effect) -> assertThat(effect.count()).as(id).isEqualTo(1));
    }

    /** One event's records in an application's database: how many, and the producer and subject of the first. */
    record Effect(long count, String producer, String subject) {
    }

    private void startOrders(Map<String, String> peers) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("jetstream.bridge.app-name", "orders");
        config.put("jetstream.bridge.nats.urls", NATS.url());
        config.put("jetstream.bridge.outbox.enabled", "true");
        config.put("jetstream.bridge.outbox.relay.poll-interval", "200ms");
        config.put("jetstream.bridge.inbox.enabled", "true");
        config.putAll(consumerSettings());
        config.putAll(peers);
        orders = startInItsOwnLoader("orders", OutboxContainers.withOutbox(ORDERS_TABLES.jpa()).withConsumer()
                .beanClasses(PeerOrderService.class, PeerEffectObserver.class, BridgeReadinessCheck.class)
                .config(config));
    }

    private void restartOrders(Map<String, String> peers) {
        stopOrders();
        startOrders(peers);
    }

    private void stopOrders() {
        if (orders != null) {
            orders.close();
            orders = null;
        }
    }

    private void startShipping() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("jetstream.bridge.app-name", "shipping");
        config.put("jetstream.bridge.destination-app", "orders");
        config.put("jetstream.bridge.nats.urls", NATS.url());
        config.put("jetstream.bridge.inbox.enabled", "true");
        config.putAll(consumerSettings());
        shipping = startInItsOwnLoader("shipping", JtaContainer.builder().jpa(SHIPPING_TABLES.jpa()).withConsumer()
                .beanClasses(PeerEffectObserver.class).config(config));
    }

    private static Map<String, String> consumerSettings() {
        return Map.of("jetstream.bridge.consumer.fetch-timeout", "200ms",
                "jetstream.bridge.consumer.max-deliver", "3",
                "jetstream.bridge.consumer.backoff", "200ms,400ms");
    }

    /**
     * Starts the container with a context class loader of its own, for which it registers its MicroProfile Config:
     * the other application's stays registered for its own loader.
     */
    private static JtaContainer startInItsOwnLoader(String app, JtaContainer.Builder builder) {
        Thread thread = Thread.currentThread();
        ClassLoader original = thread.getContextClassLoader();
        thread.setContextClassLoader(new ClassLoader(app, original) {
        });
        try {
            return builder.start();
        } finally {
            thread.setContextClassLoader(original);
        }
    }

    private HealthCheckResponse readiness() {
        return orders.select(HealthCheck.class, Readiness.Literal.INSTANCE).call();
    }

    /** Each event id an application recorded, with its records. */
    private static Map<String, Effect> effects(BridgeTables tables) throws SQLException {
        Map<String, Effect> effects = new LinkedHashMap<>();
        try (Connection connection = tables.database().openConnection();
             PreparedStatement query = connection.prepareStatement("SELECT event_id, COUNT(*), MIN(producer), "
                     + "MIN(subject) FROM " + PeerEffect.TABLE + " GROUP BY event_id");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                effects.put(rows.getString(1), new Effect(rows.getLong(2), rows.getString(3), rows.getString(4)));
            }
        }
        return effects;
    }

    /** What each application has received and what the stream still holds, for a failure's message. */
    private String fleet() {
        try {
            return "billing received " + billing.deliveries() + ", shipping recorded " + effects(SHIPPING_TABLES)
                    + ", orders recorded " + effects(ORDERS_TABLES) + ", the stream holds "
                    + jsm.getStreamInfo(STREAM, io.nats.client.api.StreamInfoOptions.allSubjects()).getStreamState()
                    .getSubjectMap();
        } catch (SQLException | IOException | JetStreamApiException e) {
            return "(state unreadable: " + e + ")";
        }
    }

    private long streamMessages() throws IOException, JetStreamApiException {
        return jsm.getStreamInfo(STREAM).getStreamState().getMsgCount();
    }

    private List<String> streamSubjects() throws IOException, JetStreamApiException {
        return new ArrayList<>(jsm.getStreamInfo(STREAM).getConfiguration().getSubjects());
    }

    /** Messages on the durable's subject not yet acked: waiting for delivery plus delivered and unacked. */
    private long unfinished(String durable) throws IOException, JetStreamApiException {
        ConsumerInfo info = jsm.getConsumerInfo(STREAM, durable);
        return info.getNumPending() + info.getNumAckPending();
    }
}
