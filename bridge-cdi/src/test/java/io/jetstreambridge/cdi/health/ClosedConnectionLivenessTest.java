package io.jetstreambridge.cdi.health;

import static io.jetstreambridge.cdi.health.HealthFixture.data;
import static io.jetstreambridge.cdi.health.HealthFixture.up;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.testing.NatsServerExtension;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

/**
 * A finite {@code nats.max-reconnects} that runs out closes the connection for good: jnats does not try again, so
 * only a restart brings the application back, and liveness says so.
 */
class ClosedConnectionLivenessTest {

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    @Test
    void aConnectionClosedAfterTheLastReconnectAttemptMakesLivenessDownWithTheReason() {
        try (HealthFixture bridge = HealthFixture.start(Map.of(
                "jetstream.bridge.app-name", "orders",
                "jetstream.bridge.destination-app", "billing",
                "jetstream.bridge.nats.urls", NATS.url(),
                "jetstream.bridge.nats.max-reconnects", "2",
                "jetstream.bridge.nats.reconnect-wait", "100ms",
                "jetstream.bridge.consumer.fetch-timeout", "200ms"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> up(bridge.readiness()) && up(bridge.liveness()));

            NATS.server().stop();

            await().atMost(Duration.ofSeconds(20)).until(() -> !up(bridge.liveness()));
            HealthCheckResponse down = bridge.liveness();
            assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(data(down)).containsEntry("connection", "CLOSED");
            assertThat((String) data(down).get(HealthChecks.REASON))
                    .contains("NATS connection is closed")
                    .contains("jetstream.bridge.nats.max-reconnects (2)")
                    .contains("restart");
        }
    }

    @Test
    void aLazyConnectThatGaveUpBeforeItsFirstConnectionMakesLivenessDown() throws Exception {
        int unused;
        try (ServerSocket free = new ServerSocket(0)) {
            unused = free.getLocalPort(); // nothing listens there once it is closed
        }
        try (HealthFixture bridge = HealthFixture.start(Map.of(
                "jetstream.bridge.app-name", "orders",
                "jetstream.bridge.destination-app", "billing",
                "jetstream.bridge.nats.urls", "nats://127.0.0.1:" + unused,
                "jetstream.bridge.nats.lazy-connect", "true",
                "jetstream.bridge.nats.max-reconnects", "2",
                "jetstream.bridge.nats.reconnect-wait", "100ms"))) {

            await().atMost(Duration.ofSeconds(20)).until(() -> !up(bridge.liveness()));
            HealthCheckResponse down = bridge.liveness();
            assertThat(data(down)).containsEntry("connection", "CLOSED");
            assertThat((String) data(down).get(HealthChecks.REASON)).contains("NATS connection is closed")
                    .contains("jetstream.bridge.nats.max-reconnects (2)");
        }
    }

    @Test
    void whileReconnectingLivenessStaysUp() {
        try (HealthFixture bridge = HealthFixture.start(Map.of(
                "jetstream.bridge.app-name", "orders",
                "jetstream.bridge.destination-app", "billing",
                "jetstream.bridge.nats.urls", NATS.url(),
                "jetstream.bridge.nats.reconnect-wait", "100ms",
                "jetstream.bridge.consumer.fetch-timeout", "200ms"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> up(bridge.readiness()) && up(bridge.liveness()));

            NATS.server().stop();

            // reconnecting forever (the default): NATS being away is readiness' business, never liveness'
            await().atMost(Duration.ofSeconds(10)).until(() -> !up(bridge.readiness()));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> up(bridge.liveness()));
            assertThat(data(bridge.liveness())).doesNotContainEntry("connection", "CLOSED");
        }
    }
}
