package io.jetstreambridge.sample;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End to end against the sample in a real Open Liberty (started by the liberty-maven-plugin around failsafe), or in a
 * real WildFly with {@code -Pwildfly} (the wildfly-maven-plugin), and a real nats-server (started by the build before
 * the server): {@code orders} and {@code billing} are two applications in one server, each with its own database,
 * exchanging events through one JetStream stream.
 */
class OrderInvoiceLoopIT {

    private static final String BASE = System.getProperty("sample.url", "http://127.0.0.1:9080");
    private static final Duration LOOP = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void applicationsAreUp() {
        // both applications answer (Liberty's start goal already waited for them to start)
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
            assertThat(get("/orders/api/orders").statusCode()).isEqualTo(200);
            assertThat(get("/billing/api/invoices").statusCode()).isEqualTo(200);
        });
    }

    @Test
    void anOrderIsInvoicedByBillingAndMarkedInvoiced() throws Exception {
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
        await().atMost(LOOP).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonObject now = object(get("/orders/api/orders/" + orderId).body());
            assertThat(now.getString("status")).isEqualTo("INVOICED");
        });

        List<JsonObject> invoices = invoicesFor(orderId);
        assertThat(invoices).hasSize(1);
        JsonObject invoice = invoices.get(0);
        assertThat(invoice.getString("customer")).isEqualTo(customer);
        assertThat(invoice.getJsonNumber("amount").bigDecimalValue()).isEqualByComparingTo("42.50");
        JsonObject invoiced = object(get("/orders/api/orders/" + orderId).body());
        assertThat(invoiced.getJsonNumber("invoice_id").longValueExact())
                .isEqualTo(invoice.getJsonNumber("id").longValueExact());

        // what each side received: billing one order.created, orders one invoice.created, for this order
        assertThat(events("/billing/api/events", "order.created", orderId)).hasSize(1);
        assertThat(events("/orders/api/events", "invoice.created", orderId)).hasSize(1);

        // and it stays that way (no second delivery reaches the observers)
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(250))
                .until(() -> invoicesFor(orderId).size() == 1
                        && events("/billing/api/events", "order.created", orderId).size() == 1);
    }

    @Test
    void aFailingRequestLeavesNeitherOrderNorEvent() throws Exception {
        String customer = "failing-" + UUID.randomUUID();
        HttpResponse<String> failed = post("/orders/api/orders?fail=true",
                "{\"customer\":\"" + customer + "\",\"amount\":13.00}");
        assertThat(failed.statusCode()).as(failed.body()).isEqualTo(500);
        assertThat(object(failed.body()).getString("error")).contains("rolls back");

        // a later order goes all the way round: whatever the failed request could have published would have
        // reached billing by then (same subject, in order)
        String witness = "witness-" + UUID.randomUUID();
        HttpResponse<String> created = post("/orders/api/orders",
                "{\"customer\":\"" + witness + "\",\"amount\":1.00}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long witnessId = object(created.body()).getJsonNumber("id").longValueExact();
        await().atMost(LOOP).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(object(get("/orders/api/orders/" + witnessId).body()).getString("status"))
                        .isEqualTo("INVOICED"));

        assertThat(array(get("/orders/api/orders").body()))
                .noneMatch(o -> customer.equals(o.asJsonObject().getString("customer")));
        assertThat(array(get("/billing/api/invoices").body()))
                .noneMatch(i -> customer.equals(i.asJsonObject().getString("customer")));
        assertThat(array(get("/billing/api/events").body()))
                .noneMatch(e -> customer.equals(e.asJsonObject().getJsonObject("payload").getString("customer", "")));
    }

    @Test
    void eachApplicationServesOnlyItsOwnResources() throws Exception {
        assertThat(get("/billing/api/orders").statusCode()).isEqualTo(404);
        assertThat(get("/orders/api/invoices").statusCode()).isEqualTo(404);
    }

    private static List<JsonObject> invoicesFor(long orderId) throws Exception {
        return array(get("/billing/api/invoices").body()).stream()
                .map(JsonValue::asJsonObject)
                .filter(i -> i.getJsonNumber("order_id").longValueExact() == orderId)
                .toList();
    }

    private static List<JsonObject> events(String path, String type, long orderId) throws Exception {
        return array(get(path).body()).stream()
                .map(JsonValue::asJsonObject)
                .filter(e -> type.equals(e.getString("event_type")))
                .filter(e -> e.getJsonObject("payload").getJsonNumber("order_id").longValueExact() == orderId)
                .toList();
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(BASE + path)).timeout(Duration.ofSeconds(10))
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(BASE + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject object(String json) {
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }

    private static JsonArray array(String json) {
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            return reader.readArray();
        }
    }
}
