package io.jetstreambridge.cdi.health;

import static io.jetstreambridge.cdi.health.HealthFixture.data;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.testing.NatsServerExtension;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

/** Lazy connect refused by the server: readiness is DOWN and says why, not just "not connected yet". */
class RefusedConnectionReadinessTest {

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create(server -> server
            .extraConfig("authorization { user: orders, password: \"orders-secret\" }\n")
            .credentials("orders", "orders-secret"));

    @Test
    void lazyConnectWithAWrongPasswordIsDownWithTheServersRefusalAsReason() {
        try (HealthFixture bridge = HealthFixture.start(Map.of(
                "jetstream.bridge.app-name", "orders",
                "jetstream.bridge.destination-app", "billing",
                "jetstream.bridge.nats.urls", NATS.url(),
                "jetstream.bridge.nats.user", "orders",
                "jetstream.bridge.nats.password", "wrong-secret",
                "jetstream.bridge.nats.lazy-connect", "true",
                "jetstream.bridge.nats.reconnect-wait", "100ms",
                "jetstream.bridge.consumer.enabled", "false"))) {

            await().atMost(Duration.ofSeconds(10)).until(() ->
                    String.valueOf(data(bridge.readiness()).get("last-error")).contains("Authorization Violation"));
            HealthCheckResponse down = bridge.readiness();
            assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat((String) data(down).get(HealthChecks.REASON)).contains("NATS is not connected yet")
                    .contains("last error: Authorization Violation");
            assertThat(data(down)).containsEntry("connection", "NOT_CONNECTED");
            assertThat(data(down).toString()).doesNotContain("wrong-secret");
        }
    }
}
