package io.jetstreambridge.cdi.health;

import static io.jetstreambridge.cdi.health.HealthFixture.data;
import static io.jetstreambridge.cdi.health.HealthFixture.up;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.cdi.ConsumerRuntime;
import io.jetstreambridge.core.publish.DirectPublisher;
import io.jetstreambridge.core.telemetry.BridgeTelemetry;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.testing.BillingApp;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.cdi.BridgeContainers;
import io.jetstreambridge.testing.cdi.PeerDurables;
import io.nats.client.Connection;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

/**
 * Readiness, liveness and startup of an application with two peers ({@code destination-apps=billing,shipping}): each
 * durable reported on its own, a stopped or stalled one named.
 */
class SeveralPeersHealthTest {

    private static final String SHIPPING_DURABLE = "orders-workers-shipping";
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(1);

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private HealthFixture bridge;
    private BlockingObserver observer;
    private Connection shippingConnection;
    private DirectPublisher shipping;

    @BeforeEach
    void start() throws Exception {
        NATS.cleanJetStream();
        Map<String, String> config = BridgeContainers.consuming(NATS.url());
        config.remove("jetstream.bridge.destination-app");
        config.put("jetstream.bridge.destination-apps", "billing,shipping");
        config.put("jetstream.bridge.consumer.processing-timeout", "500ms"); // shorter than the stall timeout
        config.put("jetstream.bridge.health.consumer-stall-timeout", "1s");
        shippingConnection = BillingApp.connect(NATS.url());
        PeerDurables.provision(shippingConnection, config);
        bridge = HealthFixture.start(config, BlockingObserver.class);
        observer = bridge.select(BlockingObserver.class);
        shipping = BillingApp.publisherAs("shipping", shippingConnection, NATS.url(), BridgeTelemetry.NONE);
    }

    @AfterEach
    void stop() throws InterruptedException {
        observer.release();
        bridge.close();
        shippingConnection.close();
    }

    @Test
    void eachDurableIsReportedUnderItsOwnKeys() {
        await().atMost(Duration.ofSeconds(10)).until(() -> up(bridge.readiness()));

        assertThat(data(bridge.readiness()))
                .containsEntry("consumer", BillingApp.ORDERS_DURABLE)
                .containsEntry("consumer-state", "RUNNING")
                .containsEntry("consumer-shipping", SHIPPING_DURABLE)
                .containsEntry("consumer-shipping-state", "RUNNING");
        HealthCheckResponse liveness = bridge.liveness();
        assertThat(up(liveness)).isTrue();
        assertThat(data(liveness))
                .containsEntry("consumer-state", "RUNNING")
                .containsEntry("consumer-shipping-state", "RUNNING")
                .containsEntry("consumer-stall-timeout-ms", STALL_TIMEOUT.toMillis())
                .containsKeys("consumer-idle-ms", "consumer-shipping-idle-ms")
                .doesNotContainKey("consumer-shipping-stall-timeout-ms");
        assertThat(data(bridge.startup()))
                .containsEntry("consumer-state", "RUNNING")
                .containsEntry("consumer-shipping-state", "RUNNING");
    }

    @Test
    void readinessIsDownNamingTheDurableThatStopped() {
        await().atMost(Duration.ofSeconds(10)).until(() -> up(bridge.readiness()));

        bridge.select(ConsumerRuntime.class).engines().get(SHIPPING_DURABLE).close();

        HealthCheckResponse readiness = bridge.readiness();
        assertThat(up(readiness)).isFalse();
        assertThat((String) data(readiness).get(HealthChecks.REASON))
                .contains("consumer '" + SHIPPING_DURABLE + "' is stopped")
                .doesNotContain("consumer '" + BillingApp.ORDERS_DURABLE + "'");
        assertThat(data(readiness))
                .containsEntry("consumer-state", "RUNNING")
                .containsEntry("consumer-shipping-state", "STOPPED");
    }

    @Test
    void livenessIsDownNamingTheDurableWhoseLoopStalls() {
        await().atMost(Duration.ofSeconds(10)).until(() -> up(bridge.readiness()));
        observer.hold("shipping");

        shipping.publish(OutgoingEvent.builder("invoice.created", Map.of("id", "S-1")).build());

        await().atMost(Duration.ofSeconds(10)).until(() -> !up(bridge.liveness()));
        HealthCheckResponse stalled = bridge.liveness();
        assertThat((String) data(stalled).get(HealthChecks.REASON)).contains("consumer loop has shown no activity")
                .contains("durable '" + SHIPPING_DURABLE + "'")
                .doesNotContain("durable '" + BillingApp.ORDERS_DURABLE + "'");
        assertThat((Long) data(stalled).get("consumer-shipping-idle-ms")).isGreaterThan(STALL_TIMEOUT.toMillis());
        assertThat((Long) data(stalled).get("consumer-idle-ms")).as("billing's loop keeps fetching")
                .isLessThan(STALL_TIMEOUT.toMillis());

        observer.release();
        await().atMost(Duration.ofSeconds(10)).until(() -> up(bridge.liveness()));
    }
}
