package io.jetstreambridge.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.publish.Publisher;
import io.jetstreambridge.core.topology.StreamProvisioner;
import io.jetstreambridge.testing.NatsServerExtension;
import io.nats.client.JetStreamManagement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashMap;
import java.util.Map;

/**
 * A restricted deployment: the application's NATS user may not call any {@code $JS.API} subject; an administrator
 * provisioned the stream beforehand.
 */
class RestrictedUserTest {

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

    @BeforeEach
    void adminProvisions() throws Exception {
        NATS.cleanJetStream();
        JetStreamManagement admin = NATS.connect().jetStreamManagement();
        new StreamProvisioner(admin, BridgeConfig.builder().appName("orders").destinationApp("billing")
                .natsUrls(NATS.url()).build()).provision();
    }

    private static Map<String, String> app(boolean autoProvision) {
        Map<String, String> config = new HashMap<>();
        config.put("jetstream.bridge.app-name", "orders");
        config.put("jetstream.bridge.destination-app", "billing");
        config.put("jetstream.bridge.nats.urls", NATS.url());
        config.put("jetstream.bridge.nats.user", "app");
        config.put("jetstream.bridge.nats.password", "app-secret");
        config.put("jetstream.bridge.auto-provision", String.valueOf(autoProvision));
        config.put("jetstream.bridge.nats.connect-timeout", "1s");
        config.put("jetstream.bridge.consumer.enabled", "false"); // publishing only; no JTA in this container
        return config;
    }

    @Test
    void withoutAutoProvisionStartsAndPublishes() throws Exception {
        try (BridgeContainer container = BridgeContainer.start(app(false))) {
            PublishResult result = container.select(Publisher.class).publish("order.created", Map.of("id", 9));

            assertThat(result.outcome()).isEqualTo(PublishResult.Outcome.PUBLISHED);
            assertThat(container.select(BridgeRuntime.class).provisioning()).isEmpty();
        }
        assertThat(NATS.connect().jetStreamManagement().getStreamInfo("jetstream-bridge-stream")
                .getStreamState().getMsgCount()).isEqualTo(1);
    }

    @Test
    void withAutoProvisionTheMissingPermissionStopsTheStart() {
        assertThatThrownBy(() -> BridgeContainer.start(app(true)).close())
                .hasStackTraceContaining("provisioning stream 'jetstream-bridge-stream'")
                .hasStackTraceContaining("jetstream.bridge.auto-provision=false");
    }
}
