package io.jetstreambridge.sample;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.jetstreambridge.sample.SampleClient.get;
import static io.jetstreambridge.sample.SampleClient.invoices;
import static io.jetstreambridge.sample.SampleClient.invoicesFor;
import static io.jetstreambridge.sample.SampleClient.object;
import static io.jetstreambridge.sample.SampleClient.order;
import static io.jetstreambridge.sample.SampleClient.orders;
import static io.jetstreambridge.sample.SampleClient.post;
import static io.jetstreambridge.sample.SampleClient.receivedEvents;
import static io.jetstreambridge.sample.SampleClient.shipments;
import static io.jetstreambridge.sample.SampleClient.shipmentsFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End to end against the sample in a real Open Liberty (started by the liberty-maven-plugin around failsafe), or in a
 * real WildFly with {@code -Pwildfly} (the wildfly-maven-plugin), and a real nats-server (started by the build before
 * the server): {@code orders}, {@code billing} and {@code shipping} are three applications in one server, each with
 * its own database, exchanging events through one JetStream stream. orders has two peers
 * ({@code destination-apps=billing,shipping}): each order's {@code order.created} goes to both (one copy each), and
 * the answers of both ({@code invoice.created}, {@code shipment.created}) come back to orders on two durables.
 */
class OrderInvoiceLoopIT {

    static final Duration LOOP = Duration.ofSeconds(60);

    @BeforeAll
    static void applicationsAreUp() {
        awaitApplications();
    }

    /** The three applications answer (the build's start goal already waited for the server to start). */
    static void awaitApplications() {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
            assertThat(get("/orders/api/orders").statusCode()).isEqualTo(200);
            assertThat(get("/billing/api/invoices").statusCode()).isEqualTo(200);
            assertThat(get("/shipping/api/shipments").statusCode()).isEqualTo(200);
        });
    }

    @Test
    void anOrderIsInvoicedByBillingAndShippedByShipping() {
        String customer = "ada-" + UUID.randomUUID();
        HttpResponse<String> created = post("/orders/api/orders",
                "{\"customer\":\"" + customer + "\",\"amount\":42.50}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonObject order = object(created.body());
        long orderId = order.getJsonNumber("id").longValueExact();
        assertThat(order.getString("status")).isEqualTo("NEW");
        assertThat(order.getBoolean("shipped")).isFalse();
        assertThat(created.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/orders/api/orders/" + orderId));

        // orders -> order.created -> billing: invoice + invoice.created -> orders: INVOICED, and
        // orders -> order.created -> shipping: shipment + shipment.created -> orders: shipped (either may come first)
        await().atMost(LOOP).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonObject now = order(orderId);
            assertThat(now.getString("status")).as("%s", now).isEqualTo("INVOICED");
            assertThat(now.getBoolean("shipped")).as("%s", now).isTrue();
        });

        List<JsonObject> invoices = invoicesFor(orderId);
        assertThat(invoices).hasSize(1);
        JsonObject invoice = invoices.get(0);
        assertThat(invoice.getString("customer")).isEqualTo(customer);
        assertThat(invoice.getJsonNumber("amount").bigDecimalValue()).isEqualByComparingTo("42.50");
        assertThat(order(orderId).getJsonNumber("invoice_id").longValueExact())
                .isEqualTo(invoice.getJsonNumber("id").longValueExact());

        List<JsonObject> shipments = shipmentsFor(orderId);
        assertThat(shipments).hasSize(1);
        JsonObject shipment = shipments.get(0);
        assertThat(shipment.getString("customer")).isEqualTo(customer);
        assertThat(order(orderId).getJsonNumber("shipment_id").longValueExact())
                .isEqualTo(shipment.getJsonNumber("id").longValueExact());

        // what each side received, for this order: billing and shipping one order.created each, each its own copy
        // (own event id, own subject); orders one invoice.created and one shipment.created
        List<JsonObject> toBilling = receivedEvents("billing", "order.created", orderId);
        List<JsonObject> toShipping = receivedEvents("shipping", "order.created", orderId);
        assertThat(toBilling).hasSize(1);
        assertThat(toShipping).hasSize(1);
        assertThat(toBilling.get(0).getString("subject")).isEqualTo("orders.sync.billing");
        assertThat(toShipping.get(0).getString("subject")).isEqualTo("orders.sync.shipping");
        assertThat(toBilling.get(0).getString("event_id")).isNotEqualTo(toShipping.get(0).getString("event_id"));
        assertThat(receivedEvents("orders", "invoice.created", orderId)).hasSize(1);
        assertThat(receivedEvents("orders", "shipment.created", orderId)).hasSize(1);
        // each observer of order.created acted in its own application only (the WAR has both)
        assertThat(receivedEvents("orders", "order.created", orderId)).isEmpty();

        // and it stays that way (no second delivery reaches the observers)
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(250))
                .until(() -> invoicesFor(orderId).size() == 1 && shipmentsFor(orderId).size() == 1
                        && receivedEvents("billing", "order.created", orderId).size() == 1
                        && receivedEvents("shipping", "order.created", orderId).size() == 1);
    }

    @Test
    void aFailingRequestLeavesNeitherOrderNorEvent() {
        String customer = "failing-" + UUID.randomUUID();
        HttpResponse<String> failed = post("/orders/api/orders?fail=true",
                "{\"customer\":\"" + customer + "\",\"amount\":13.00}");
        assertThat(failed.statusCode()).as(failed.body()).isEqualTo(500);
        assertThat(object(failed.body()).getString("error")).contains("rolls back");

        // a later order goes all the way round both loops: whatever the failed request could have published would
        // have reached billing and shipping by then (same subjects, in order)
        long witnessId = SampleClient.placeOrder("witness-" + UUID.randomUUID(), "1.00");
        await().atMost(LOOP).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonObject witness = order(witnessId);
            assertThat(witness.getString("status")).as("%s", witness).isEqualTo("INVOICED");
            assertThat(witness.getBoolean("shipped")).as("%s", witness).isTrue();
        });

        assertThat(orders()).noneMatch(o -> customer.equals(o.getString("customer")));
        assertThat(invoices()).noneMatch(i -> customer.equals(i.getString("customer")));
        assertThat(shipments()).noneMatch(s -> customer.equals(s.getString("customer")));
        for (String peer : List.of("billing", "shipping")) {
            assertThat(receivedEvents(peer)).as(peer)
                    .noneMatch(e -> customer.equals(e.getJsonObject("payload").getString("customer", "")));
        }
    }

    @Test
    void eachApplicationServesOnlyItsOwnResources() {
        assertThat(get("/billing/api/orders").statusCode()).isEqualTo(404);
        assertThat(get("/orders/api/invoices").statusCode()).isEqualTo(404);
        assertThat(get("/orders/api/shipments").statusCode()).isEqualTo(404);
        assertThat(get("/shipping/api/orders").statusCode()).isEqualTo(404);
        assertThat(get("/shipping/api/invoices").statusCode()).isEqualTo(404);
        assertThat(get("/billing/api/shipments").statusCode()).isEqualTo(404);
    }
}
