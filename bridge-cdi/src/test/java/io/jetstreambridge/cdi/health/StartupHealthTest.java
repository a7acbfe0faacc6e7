package io.jetstreambridge.cdi.health;

import static io.jetstreambridge.cdi.health.HealthFixture.data;
import static io.jetstreambridge.cdi.health.HealthFixture.up;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.testing.NatsServerExtension;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The MicroProfile Health 4.0 startup check, named per application like the other two. */
class StartupHealthTest {

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private HealthFixture bridge;

    @BeforeEach
    void cleanStream() {
        NATS.cleanJetStream();
    }

    @AfterEach
    void stopBridge() {
        if (bridge != null) {
            bridge.close();
        }
    }

    private static Map<String, String> config(Map<String, String> extra) {
        Map<String, String> config = new HashMap<>();
        config.put("jetstream.bridge.app-name", "orders");
        config.put("jetstream.bridge.destination-app", "billing");
        config.put("jetstream.bridge.nats.urls", NATS.url());
        config.put("jetstream.bridge.nats.reconnect-wait", "100ms");
        config.put("jetstream.bridge.consumer.fetch-timeout", "200ms");
        config.putAll(extra);
        return config;
    }

    @Test
    void upOnceConnectedProvisionedAndTheConsumerStarted() {
        bridge = HealthFixture.start(config(Map.of()));

        await().atMost(Duration.ofSeconds(10)).until(() -> up(bridge.startup()));
        HealthCheckResponse startup = bridge.startup();
        assertThat(startup.getName()).isEqualTo("jetstream-bridge-startup:orders");
        assertThat(data(startup)).containsEntry("app", "orders").containsEntry("connection", "CONNECTED")
                .containsEntry("provisioned", true).containsKey("consumer-state");
    }

    @Test
    void withLazyConnectTheApplicationHasStartedWhileNatsIsAwayAndReadinessSaysSo() {
        NATS.server().stop();
        bridge = HealthFixture.start(config(Map.of("jetstream.bridge.nats.lazy-connect", "true")));

        HealthCheckResponse startup = bridge.startup();
        assertThat(up(startup)).as("%s", data(startup)).isTrue();
        assertThat(data(startup)).containsEntry("connection", "NOT_CONNECTED")
                .containsEntry("lazy-connect", "pending");
        assertThat(up(bridge.readiness())).isFalse();

        NATS.server().start();
        await().atMost(Duration.ofSeconds(15)).until(() -> up(bridge.readiness()));
        assertThat(data(bridge.startup())).containsEntry("connection", "CONNECTED");
    }

    @Test
    void downWhileTheConsumerHasNotStarted() {
        // the consumer runtime left out: connected and provisioned, but no consumer engine was ever started
        try (io.jetstreambridge.testing.cdi.JtaContainer container = io.jetstreambridge.testing.cdi.JtaContainer
                .builder().withBridgeRuntime().beanClasses(BridgeStartupCheck.class).config(config(Map.of()))
                .start()) {
            HealthCheckResponse startup = container.select(org.eclipse.microprofile.health.HealthCheck.class,
                    org.eclipse.microprofile.health.Startup.Literal.INSTANCE).call();

            assertThat(up(startup)).isFalse();
            assertThat(data(startup)).containsEntry("reason", "the consumer has not started")
                    .containsEntry("connection", "CONNECTED").containsEntry("provisioned", true);
        }
    }
}
