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
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End to end against the sample in a real application server (started by the build around failsafe) and a real
 * nats-server (started by the build before it): {@code orders} and {@code billing} are two applications in one
 * server, each with its own database, exchanging events through one JetStream stream.
 */
class OrderInvoiceLoopIT {

    static final Duration LOOP = Duration.ofSeconds(60);

    @BeforeAll
    static void applicationsAreUp() {
        awaitApplications();
    }

    /** Both applications answer (the build's start goal already waited for the server to start). */
    static void awaitApplications() {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
            assertThat(get("/orders/api/orders").statusCode()).isEqualTo(200);
            assertThat(get("/billing/api/invoices").statusCode()).isEqualTo(200);
        });
    }

    @Test
    void anOrderIsInvoicedByBillingAndMarkedInvoiced() {
        String customer = "ada-" + UUID.randomUUID();
        HttpResponse<String> created = post("/orders/api/orders",
                "{\"customer\":\"" + customer + "\",\"amount\":42.50}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonObject order = object(created.body());
        long orderId = order.getJsonNumber("id").longValueExact();
        assertThat(order.getString("status")).isEqualTo("NEW");
        assertThat(created.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/orders/api/orders/" + orderId));

        // orders -> order.created -> billing: invoice + invoice.created -> orders: INVOICED
        await().atMost(LOOP).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(order(orderId).getString("status")).isEqualTo("INVOICED"));

        List<JsonObject> invoices = invoicesFor(orderId);
        assertThat(invoices).hasSize(1);
        JsonObject invoice = invoices.get(0);
        assertThat(invoice.getString("customer")).isEqualTo(customer);
        assertThat(invoice.getJsonNumber("amount").bigDecimalValue()).isEqualByComparingTo("42.50");
        assertThat(order(orderId).getJsonNumber("invoice_id").longValueExact())
                .isEqualTo(invoice.getJsonNumber("id").longValueExact());

        // what each side received: billing one order.created, orders one invoice.created, for this order
        assertThat(receivedEvents("billing", "order.created", orderId)).hasSize(1);
        assertThat(receivedEvents("orders", "invoice.created", orderId)).hasSize(1);

        // and it stays that way (no second delivery reaches the observers)
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(250))
                .until(() -> invoicesFor(orderId).size() == 1
                        && receivedEvents("billing", "order.created", orderId).size() == 1);
    }

    @Test
    void aFailingRequestLeavesNeitherOrderNorEvent() {
        String customer = "failing-" + UUID.randomUUID();
        HttpResponse<String> failed = post("/orders/api/orders?fail=true",
                "{\"customer\":\"" + customer + "\",\"amount\":13.00}");
        assertThat(failed.statusCode()).as(failed.body()).isEqualTo(500);
        assertThat(object(failed.body()).getString("error")).contains("rolls back");

        // a later order goes all the way round: whatever the failed request could have published would have
        // reached billing by then (same subject, in order)
        long witnessId = SampleClient.placeOrder("witness-" + UUID.randomUUID(), "1.00");
        await().atMost(LOOP).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(order(witnessId).getString("status")).isEqualTo("INVOICED"));

        assertThat(orders()).noneMatch(o -> customer.equals(o.getString("customer")));
        assertThat(invoices()).noneMatch(i -> customer.equals(i.getString("customer")));
        assertThat(receivedEvents("billing"))
                .noneMatch(e -> customer.equals(e.getJsonObject("payload").getString("customer", "")));
    }

    @Test
    void eachApplicationServesOnlyItsOwnResources() {
        assertThat(get("/billing/api/orders").statusCode()).isEqualTo(404);
        assertThat(get("/orders/api/invoices").statusCode()).isEqualTo(404);
    }
}
