package io.jetstreambridge.cdi.health;

import static io.jetstreambridge.cdi.health.HealthFixture.data;
import static io.jetstreambridge.cdi.health.HealthFixture.up;
import static org.assertj.core.api.Assertions.assertThat;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.core.topology.StreamProvisioner;
import io.jetstreambridge.testing.NatsServerExtension;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

/**
 * A user that may not call any {@code $JS.API} subject, with auto-provision off: readiness must not need one, or
 * it would never be UP in such a deployment.
 */
class RestrictedUserHealthTest {

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create(server -> server
            .credentials("admin", "admin-secret")
            .extraConfig("""
                    authorization {
                      users = [
                        { user: admin, password: admin-secret }
                        { user: app, password: app-secret, permissions: { publish: { deny: ["$JS.API.>"] } } }
                      ]
                    }
                    """));

    @Test
    void staysUpWithoutJetStreamApiPermissions() throws Exception {
        NATS.cleanJetStream();
        new StreamProvisioner(NATS.connect().jetStreamManagement(), BridgeConfig.builder().appName("orders")
                .destinationApp("billing").natsUrls(NATS.url()).build()).provision();

        try (HealthFixture bridge = HealthFixture.start(Map.of(
                "jetstream.bridge.app-name", "orders",
                "jetstream.bridge.destination-app", "billing",
                "jetstream.bridge.nats.urls", NATS.url(),
                "jetstream.bridge.nats.user", "app",
                "jetstream.bridge.nats.password", "app-secret",
                "jetstream.bridge.auto-provision", "false",
                "jetstream.bridge.consumer.enabled", "false",
                "jetstream.bridge.health.check-timeout", "1s"))) {
            HealthCheckResponse readiness = bridge.readiness();
            HealthCheckResponse liveness = bridge.liveness();

            assertThat(up(readiness)).as("%s", readiness.getData()).isTrue();
            assertThat(data(readiness)).containsEntry("connection", "CONNECTED").containsKey("rtt-ms");
            assertThat(data(readiness).toString()).doesNotContain("app-secret");
            assertThat(up(liveness)).isTrue();
        }
    }
}
