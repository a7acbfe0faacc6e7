package io.jetstreambridge.sample;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.jetstreambridge.sample.HealthEndpoint.awaitReady;
import static io.jetstreambridge.sample.SampleClient.invoices;
import static io.jetstreambridge.sample.SampleClient.orderId;
import static io.jetstreambridge.sample.SampleClient.orders;
import static io.jetstreambridge.sample.SampleClient.placeOrder;
import static io.jetstreambridge.sample.SampleClient.receivedEvents;
import static io.jetstreambridge.sample.SampleClient.shipments;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The build's nats-server is killed (SIGKILL) and restarted while orders are being placed: every order still ends
 * invoiced exactly once and shipped exactly once, and no application's observers saw an event twice. What is at
 * stake: publishes whose
 * acknowledgement was lost (the outbox retries them with the same message id), deliveries whose ack was lost (the
 * server redelivers them and the inbox skips them), and the orders placed while NATS was away (they wait in the
 * outbox).
 */
class NatsCrashIT {

    private static final int ORDERS = 50;
    /** Orders placed before the kill, and while NATS is away. */
    private static final int BEFORE_KILL = 15;
    private static final int WHILE_AWAY = 5;
    private static final Duration PACE = Duration.ofMillis(100);
    /** Generous for a busy machine: every wait ends as soon as its condition holds. */
    private static final Duration SETTLE = Duration.ofSeconds(180);

    private static BuildNatsServer nats;

    @BeforeAll
    static void applicationsAreUp() {
        OrderInvoiceLoopIT.awaitApplications();
        nats = BuildNatsServer.fromSystemProperties();
        awaitReady("orders", "billing", "shipping");
    }

    @AfterEach
    void leaveNatsRunning() {
        nats.ensureRunning();
        awaitReady("orders", "billing", "shipping");
    }

    @Test
    void everyOrderPlacedAcrossANatsCrashIsInvoicedAndShippedExactlyOnce() throws Exception {
        String run = "crash-" + UUID.randomUUID();
        List<Long> placed = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> allPlaced = new CompletableFuture<>();
        ScheduledExecutorService customers = Executors.newSingleThreadScheduledExecutor();
        int placedAtKill;
        int placedAtRestart;
        try {
            customers.scheduleAtFixedRate(() -> {
                try {
                    if (placed.size() < ORDERS) {
                        placed.add(placeOrder(run + "-" + placed.size(), "10.00"));
                    }
                    if (placed.size() == ORDERS) {
                        allPlaced.complete(null);
                    }
                } catch (Throwable e) {
                    allPlaced.completeExceptionally(e);
                }
            }, 0, PACE.toMillis(), TimeUnit.MILLISECONDS);

            await().atMost(SETTLE).until(() -> placed.size() >= BEFORE_KILL || allPlaced.isDone());
            placedAtKill = placed.size();
            nats.kill();
            progress("killed nats-server after " + placedAtKill + " orders");
            // orders keep coming while NATS is away
            await().atMost(SETTLE).until(() -> placed.size() >= placedAtKill + WHILE_AWAY || allPlaced.isDone());
            placedAtRestart = placed.size();
            nats.start();
            progress("restarted nats-server after " + placedAtRestart + " orders");
            allPlaced.get(SETTLE.toSeconds(), TimeUnit.SECONDS);
            progress("all " + ORDERS + " orders placed");
        } finally {
            customers.shutdownNow();
        }
        assertThat(placedAtRestart).as("orders placed while NATS was away").isGreaterThan(placedAtKill);
        assertThat(placed).hasSize(ORDERS).doesNotHaveDuplicates();
        Set<Long> ids = Set.copyOf(placed);

        await().atMost(SETTLE).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(ours(orders(), o -> o.getJsonNumber("id").longValueExact(), ids))
                        .hasSize(ORDERS)
                        .allSatisfy(o -> {
                            assertThat(o.getString("status")).as("%s", o).isEqualTo("INVOICED");
                            assertThat(o.getBoolean("shipped")).as("%s", o).isTrue();
                        }));

        progress("all " + ORDERS + " orders invoiced and shipped; deliveries beyond the first that reached an "
                + "observer: billing " + redelivered("billing", ids) + ", shipping " + redelivered("shipping", ids)
                + ", orders " + redelivered("orders", ids));
        assertExactlyOnce(ids);
        // and it stays that way: no late redelivery reaches an observer a second time
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertExactlyOnce(ids));
    }

    /** Timings in the test's output file (target/failsafe-reports), to see where a slow run spent its time. */
    private static void progress(String what) {
        System.out.println(java.time.Instant.now() + " " + what);
    }

    private static void assertExactlyOnce(Set<Long> ids) {
        assertOnePerOrder(ids, ours(invoices(), SampleClient::orderId, ids), "invoice_id");
        assertOnePerOrder(ids, ours(shipments(), SampleClient::orderId, ids), "shipment_id");

        for (String[] side : new String[][] {{"billing", "order.created"}, {"shipping", "order.created"},
                {"orders", "invoice.created"}, {"orders", "shipment.created"}}) {
            List<JsonObject> events = ours(receivedEvents(side[0]), e -> orderId(e.getJsonObject("payload")), ids)
                    .stream().filter(e -> side[1].equals(e.getString("event_type"))).toList();
            assertThat(countBy(events, e -> orderId(e.getJsonObject("payload"))))
                    .as("%s events received by %s per order", side[1], side[0])
                    .hasSize(ORDERS).allSatisfy((order, count) -> assertThat(count).as("order %d", order).isEqualTo(1L));
            assertThat(events).extracting(e -> e.getString("event_id")).as("event ids received by %s", side[0])
                    .doesNotHaveDuplicates();
        }
    }

    /** One invoice (or shipment) per order, and it is the one the order names in {@code idKey}. */
    private static void assertOnePerOrder(Set<Long> ids, List<JsonObject> made, String idKey) {
        assertThat(countBy(made, SampleClient::orderId)).as("%s per order", idKey)
                .hasSize(ORDERS).allSatisfy((order, count) -> assertThat(count).as("order %d", order).isEqualTo(1L));
        Map<Long, Long> madeForOrder = made.stream().collect(Collectors.toMap(SampleClient::orderId,
                m -> m.getJsonNumber("id").longValueExact()));
        assertThat(ours(orders(), o -> o.getJsonNumber("id").longValueExact(), ids))
                .allSatisfy(o -> assertThat(o.getJsonNumber(idKey).longValueExact()).as("%s", o)
                        .isEqualTo(madeForOrder.get(o.getJsonNumber("id").longValueExact())));
    }

    /** Deliveries beyond the first of events observers handled (a redelivery the inbox skipped is not counted). */
    private static long redelivered(String app, Set<Long> ids) {
        return ours(receivedEvents(app), e -> orderId(e.getJsonObject("payload")), ids).stream()
                .mapToLong(e -> e.getJsonNumber("deliveries").longValueExact() - 1).sum();
    }

    private static List<JsonObject> ours(List<JsonObject> all, Function<JsonObject, Long> orderId, Set<Long> ids) {
        return all.stream().filter(json -> ids.contains(orderId.apply(json))).toList();
    }

    private static Map<Long, Long> countBy(List<JsonObject> all, Function<JsonObject, Long> key) {
        return all.stream().collect(Collectors.groupingBy(key, Collectors.counting()));
    }
}
