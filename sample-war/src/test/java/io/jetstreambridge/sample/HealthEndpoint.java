package io.jetstreambridge.sample;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * MicroProfile Health at {@code sample.health.url} (Liberty: {@code http://host:port/health} on the HTTP port;
 * WildFly: the management port). Both applications' checks answer on the same endpoint; each check's name ends
 * with its application's name ({@code jetstream-bridge-readiness:orders}), and its data key {@code app} says it too.
 */
final class HealthEndpoint {

    static final String READINESS = "jetstream-bridge-readiness";
    static final String LIVENESS = "jetstream-bridge-liveness";
    static final String STARTUP = "jetstream-bridge-startup";

    private static final String BASE = System.getProperty("sample.health.url",
            SampleClient.BASE + "/health");

    private HealthEndpoint() {
    }

    static Report ready() {
        return fetch("/ready");
    }

    static Report live() {
        return fetch("/live");
    }

    static Report started() {
        return fetch("/started");
    }

    /** The bridge's readiness check of one application. */
    static Check readiness(String app) {
        return ready().check(READINESS, app);
    }

    /** The bridge's liveness check of one application. */
    static Check liveness(String app) {
        return live().check(LIVENESS, app);
    }

    /** Waits until both applications' bridges are ready (after a test stopped NATS, or at the start). */
    static void awaitReady(String... apps) {
        await("bridges ready").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    Report ready = ready();
                    for (String app : apps) {
                        Check check = ready.check(READINESS, app);
                        assertThat(check.up()).as("%s", check).isTrue();
                    }
                });
    }

    private static Report fetch(String path) {
        HttpResponse<String> response = SampleClient.send(HttpRequest.newBuilder(URI.create(BASE + path)).GET());
        if (response.statusCode() != 200 && response.statusCode() != 503) {
            throw new AssertionError("GET " + BASE + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        JsonObject body = SampleClient.object(response.body());
        List<Check> checks = body.getJsonArray("checks").stream().map(JsonValue::asJsonObject)
                .map(c -> new Check(c.getString("name"), c.getString("status"),
                        c.containsKey("data") ? c.getJsonObject("data") : JsonValue.EMPTY_JSON_OBJECT))
                .toList();
        return new Report(response.statusCode(), body.getString("status"), checks, response.body());
    }

    /** One response: HTTP status (200 UP, 503 DOWN), overall status, the checks, and the body for messages. */
    record Report(int httpStatus, String status, List<Check> checks, String body) {

        /** The check {@code {name}:{app}}, whose data names the same application. */
        Check check(String name, String app) {
            List<Check> found = checks.stream().filter(c -> c.name().equals(name + ":" + app))
                    .filter(c -> app.equals(c.data().getString("app", null))).toList();
            if (found.size() != 1) {
                throw new AssertionError("expected one check " + name + " of application " + app + ", found "
                        + found.size() + " in " + body);
            }
            return found.get(0);
        }
    }

    /** One check: name, UP or DOWN, and its data. */
    record Check(String name, String status, JsonObject data) {

        boolean up() {
            return "UP".equals(status);
        }

        String text(String key) {
            return data.getString(key, null);
        }

        Optional<Long> number(String key) {
            return data.containsKey(key) ? Optional.of(data.getJsonNumber(key).longValueExact()) : Optional.empty();
        }

        @Override
        public String toString() {
            return name + " " + status + " " + data;
        }
    }
}
