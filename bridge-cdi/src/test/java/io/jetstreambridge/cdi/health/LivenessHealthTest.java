package io.jetstreambridge.cdi.health;

import static io.jetstreambridge.cdi.health.HealthFixture.data;
import static io.jetstreambridge.cdi.health.HealthFixture.up;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.envelope.EnvelopeFactory;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.core.connection.NatsConnector;
import io.jetstreambridge.core.publish.JetStreamPublisher;
import io.jetstreambridge.core.publish.PayloadMapper;
import io.jetstreambridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.spi.JsonProvider;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/** The liveness check with a running consumer whose observer hangs, and with a contributor from another module. */
class LivenessHealthTest {

    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(1);

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private HealthFixture bridge;
    private BlockingObserver observer;
    private Connection billingConnection;
    private JetStreamPublisher billing;

    @BeforeEach
    void start() {
        NATS.cleanJetStream();
        bridge = HealthFixture.start(Map.of(
                "jetstream.bridge.app-name", "orders",
                "jetstream.bridge.destination-app", "billing",
                "jetstream.bridge.nats.urls", NATS.url(),
                "jetstream.bridge.consumer.fetch-timeout", "200ms",
                "jetstream.bridge.consumer.processing-timeout", "500ms", // shorter than the stall timeout
                "jetstream.bridge.health.consumer-stall-timeout", "1s"),
                BlockingObserver.class, SwitchableContributor.class);
        observer = bridge.select(BlockingObserver.class);
        BridgeConfig billingConfig = BridgeConfig.builder().appName("billing").destinationApp("orders")
                .natsUrls(NATS.url()).set(ConfigKey.CONSUMER_ENABLED, "false").build();
        billingConnection = new NatsConnector(billingConfig.nats(), null).connect();
        JsonProvider json = JsonProvider.provider();
        billing = new JetStreamPublisher(billingConnection, billingConfig.topology(), billingConfig.publish(),
                new EnvelopeFactory("billing", Clock.systemUTC()), new EnvelopeCodec(json),
                new PayloadMapper(JsonbBuilder.create(), json), ForkJoinPool.commonPool());
    }

    @AfterEach
    void stop() throws InterruptedException {
        observer.release();
        bridge.close();
        billingConnection.close();
    }

    @Test
    void anIdleConsumerThatKeepsFetchingIsAlive() {
        await().atMost(Duration.ofSeconds(10)).until(() -> up(bridge.readiness()));

        // several stall timeouts without a message: the fetches that return empty are the activity
        await().during(STALL_TIMEOUT.multipliedBy(3)).atMost(STALL_TIMEOUT.multipliedBy(5))
                .until(() -> up(bridge.liveness()));
        HealthCheckResponse liveness = bridge.liveness();
        assertThat(liveness.getName()).as("named per application").isEqualTo("jetstream-bridge-liveness:orders");
        assertThat(data(liveness))
                .containsEntry("app", "orders")
                .containsEntry("consumer-state", "RUNNING")
                .containsEntry("consumer-stall-timeout-ms", STALL_TIMEOUT.toMillis())
                .containsKeys("consumer-last-activity", "consumer-idle-ms", "probe-switched-down");
        assertThat((Long) data(liveness).get("consumer-idle-ms")).isLessThan(STALL_TIMEOUT.toMillis());
    }

    @Test
    void downWhileAnObserverHoldsTheLoopPastTheStallTimeoutAndUpWhenItReturns() {
        await().atMost(Duration.ofSeconds(10)).until(() -> up(bridge.readiness()));
        List<HealthCheckResponse.Status> seen = new ArrayList<>();
        seen.add(bridge.liveness().getStatus());
        observer.hold();

        billing.publish(OutgoingEvent.builder("invoice.created", Map.of("id", "INV-1")).build());

        await().atMost(Duration.ofSeconds(10)).until(() -> observer.calls() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> !up(bridge.liveness()));
        HealthCheckResponse stalled = bridge.liveness();
        seen.add(stalled.getStatus());
        assertThat((String) data(stalled).get(HealthChecks.REASON)).contains("consumer loop has shown no activity")
                .contains("stall timeout 1s");
        assertThat((Long) data(stalled).get("consumer-idle-ms")).isGreaterThan(STALL_TIMEOUT.toMillis());
        // the engine itself is fine, so readiness stays UP: only a restart could free the held worker
        assertThat(up(bridge.readiness())).isTrue();

        observer.release();

        await().atMost(Duration.ofSeconds(10)).until(() -> up(bridge.liveness()));
        seen.add(bridge.liveness().getStatus());
        assertThat(seen).containsExactly(HealthCheckResponse.Status.UP, HealthCheckResponse.Status.DOWN,
                HealthCheckResponse.Status.UP);
        await().atMost(Duration.ofSeconds(10)).until(() -> Long.valueOf(0).equals(data(bridge.readiness())
                .get("consumer-pending")));
    }

    @Test
    void aContributorFromAnotherModuleTakesPartAndItsTextIsRedacted() {
        await().atMost(Duration.ofSeconds(10)).until(() -> up(bridge.liveness()));
        SwitchableContributor contributor = bridge.select(SwitchableContributor.class);

        contributor.down(true);
        HealthCheckResponse down = bridge.liveness();
        contributor.down(false);

        assertThat(up(down)).isFalse();
        assertThat(data(down)).containsEntry("probe-switched-down", true);
        assertThat((String) data(down).get(HealthChecks.REASON)).contains("probe is switched down")
                .contains("nats://******@example:4222").doesNotContain("probe-secret");
        assertThat(up(bridge.liveness())).isTrue();
    }
}
