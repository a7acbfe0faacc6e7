package io.jetstreambridge.sample;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * The sample's REST endpoints as the end-to-end tests use them, at {@code sample.url} (the build passes the server's
 * HTTP address; WildFly's profile passes its own).
 */
final class SampleClient {

    static final String BASE = System.getProperty("sample.url", "http://127.0.0.1:9080");

    private static final String GATE = "/billing/api/test-hooks/observer-gate";

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private SampleClient() {
    }

    /** Places an order and returns its id; fails unless the server answers 201. */
    static long placeOrder(String customer, String amount) {
        HttpResponse<String> created = post("/orders/api/orders",
                "{\"customer\":\"" + customer + "\",\"amount\":" + amount + "}");
        if (created.statusCode() != 201) {
            throw new AssertionError("POST /orders/api/orders answered " + created.statusCode() + ": "
                    + created.body());
        }
        return object(created.body()).getJsonNumber("id").longValueExact();
    }

    static JsonObject order(long id) {
        return object(get("/orders/api/orders/" + id).body());
    }

    static List<JsonObject> orders() {
        return objects(get("/orders/api/orders").body());
    }

    static List<JsonObject> invoices() {
        return objects(get("/billing/api/invoices").body());
    }

    static List<JsonObject> invoicesFor(long orderId) {
        return invoices().stream().filter(i -> orderId(i) == orderId).toList();
    }

    /** What an application ({@code orders} or {@code billing}) received through the bridge. */
    static List<JsonObject> receivedEvents(String app) {
        return objects(get("/" + app + "/api/events").body());
    }

    /** The events of one type an application received for one order (both event types carry {@code order_id}). */
    static List<JsonObject> receivedEvents(String app, String type, long orderId) {
        return receivedEvents(app).stream()
                .filter(e -> type.equals(e.getString("event_type")))
                .filter(e -> orderId(e.getJsonObject("payload")) == orderId)
                .toList();
    }

    /** Billing's observer gate (needs {@code sample.test-hooks=true}): closed, it holds order.created observers. */
    static JsonObject observerGate(String action) {
        HttpResponse<String> response = action.isEmpty() ? get(GATE) : post(GATE + "/" + action, "");
        if (response.statusCode() != 200) {
            throw new AssertionError(GATE + " " + action + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return object(response.body());
    }

    /** Ids start at 1: events about no order (billing's {@code ejb.probe} events, EjbTransactionsIT) match none. */
    static final long NO_ORDER = 0;

    /** The order an invoice or an event's payload is about, or {@link #NO_ORDER}. */
    static long orderId(JsonObject json) {
        return json.containsKey("order_id") ? json.getJsonNumber("order_id").longValueExact() : NO_ORDER;
    }

    /**
     * A read waits up to {@link #READ_TIMEOUT}: on a loaded machine a server catching up after a fault answered a
     * list of orders after more than 10 s (NatsCrashIT), and a read is only ever polled for a state, never timed.
     */
    static HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(BASE + path)).GET().timeout(READ_TIMEOUT));
    }

    static final Duration READ_TIMEOUT = Duration.ofSeconds(45);

    static HttpResponse<String> post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(BASE + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            HttpRequest built = request.header("Accept", "application/json").build();
            if (built.timeout().isEmpty()) {
                built = HttpRequest.newBuilder(built, (name, value) -> true).timeout(Duration.ofSeconds(10)).build();
            }
            return HTTP.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static JsonObject object(String json) {
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }

    static JsonArray array(String json) {
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            return reader.readArray();
        }
    }

    static List<JsonObject> objects(String json) {
        return array(json).stream().map(JsonValue::asJsonObject).toList();
    }
}
