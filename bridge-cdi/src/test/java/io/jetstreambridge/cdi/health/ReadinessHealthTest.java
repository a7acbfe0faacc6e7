package io.jetstreambridge.cdi.health;

import static io.jetstreambridge.cdi.health.HealthFixture.data;
import static io.jetstreambridge.cdi.health.HealthFixture.up;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.core.topology.StreamProvisioner;
import io.jetstreambridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.Subscription;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The readiness check against a real nats-server that requires a password, with the consumer running. */
class ReadinessHealthTest {

    private static final String STREAM = "jetstream-bridge-stream";

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create(server -> server
            .credentials("orders", "orders-secret"));

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

    /** The password travels inside the URL, the hardest place to keep it out of health data. */
    private static Map<String, String> config(Map<String, String> extra) {
        Map<String, String> config = new HashMap<>();
        config.put("jetstream.bridge.app-name", "orders");
        config.put("jetstream.bridge.destination-app", "billing");
        config.put("jetstream.bridge.nats.urls", NATS.url().replace("nats://", "nats://orders:orders-secret@"));
        config.put("jetstream.bridge.nats.reconnect-wait", "100ms");
        config.put("jetstream.bridge.nats.connect-timeout", "1s");
        config.put("jetstream.bridge.consumer.fetch-timeout", "200ms");
        config.put("jetstream.bridge.health.consumer-stall-timeout", "1s");
        config.put("jetstream.bridge.consumer.processing-timeout", "500ms"); // shorter than the stall timeout
        config.put("jetstream.bridge.health.check-timeout", "1s");
        config.putAll(extra);
        return config;
    }

    @Test
    void upWhenConnectedProvisionedAndConsuming() {
        bridge = HealthFixture.start(config(Map.of()));

        await().atMost(Duration.ofSeconds(10)).until(() -> up(bridge.readiness()));
        HealthCheckResponse readiness = bridge.readiness();

        assertThat(readiness.getName()).as("named per application").isEqualTo("jetstream-bridge-readiness:orders");
        assertThat(data(readiness))
                .containsEntry("app", "orders")
                .containsEntry("connection", "CONNECTED")
                .containsEntry("stream", STREAM)
                .containsEntry("auto-provision", true)
                .containsEntry("consumer", "orders-workers")
                .containsEntry("consumer-state", "RUNNING")
                .containsEntry("consumer-pending", 0L)
                .containsEntry("dlq-messages", 0L)
                .containsEntry("stream-messages", 0L)
                .containsKey("rtt-ms")
                .doesNotContainKey(HealthChecks.REASON);
        assertThat((String) data(readiness).get("server")).isEqualTo("nats://******@127.0.0.1:" + NATS.server().port());
        assertThat(data(readiness).toString()).doesNotContain("orders-secret");
        assertThat(up(bridge.liveness())).isTrue();
    }

    @Test
    void countsDeadLetteredMessagesAndTheConsumersBacklog() throws Exception {
        bridge = HealthFixture.start(config(Map.of()));
        await().atMost(Duration.ofSeconds(10)).until(() -> up(bridge.readiness()));

        // not an envelope: the consumer copies it to orders.sync.dlq (malformed_json) and acks it
        NATS.connect().jetStream().publish("billing.sync.orders", "not json".getBytes(StandardCharsets.UTF_8));

        await().atMost(Duration.ofSeconds(10)).until(() -> Long.valueOf(1).equals(data(bridge.readiness())
                .get("dlq-messages")));
        // the original is acked right after its copy is stored: the count may see the copy first
        await().atMost(Duration.ofSeconds(5)).until(() -> Long.valueOf(0).equals(data(bridge.readiness())
                .get("consumer-pending")));
        assertThat(up(bridge.readiness())).isTrue();
    }

    @Test
    void downWhileTheServerIsStoppedAndUpAgainAfterItsRestart() {
        bridge = HealthFixture.start(config(Map.of()));
        await().atMost(Duration.ofSeconds(10)).until(() -> up(bridge.readiness()));
        List<HealthCheckResponse.Status> seen = new ArrayList<>();
        seen.add(bridge.readiness().getStatus());

        NATS.server().stop();

        await().atMost(Duration.ofSeconds(10)).until(() -> !up(bridge.readiness()));
        HealthCheckResponse down = bridge.readiness();
        seen.add(down.getStatus());
        assertThat((String) data(down).get(HealthChecks.REASON)).contains("NATS connection is");
        assertThat(data(down).get("connection")).isNotEqualTo("CONNECTED");
        assertThat(data(down).toString()).doesNotContain("orders-secret");
        // NATS away is no reason to restart the application: liveness stays UP past the stall timeout
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> up(bridge.liveness()));

        NATS.server().start();

        await().atMost(Duration.ofSeconds(30)).until(() -> up(bridge.readiness()));
        HealthCheckResponse again = bridge.readiness();
        seen.add(again.getStatus());
        assertThat(seen).containsExactly(HealthCheckResponse.Status.UP, HealthCheckResponse.Status.DOWN,
                HealthCheckResponse.Status.UP);
        assertThat(data(again)).containsEntry("connection", "CONNECTED").containsEntry("consumer-state", "RUNNING");
        assertThat(up(bridge.liveness())).isTrue();
    }

    @Test
    void downWhenTheStreamIsGone() throws Exception {
        // without the consumer, which would provision the stream again when its durable vanished
        bridge = HealthFixture.start(config(Map.of("jetstream.bridge.consumer.enabled", "false")));
        await().atMost(Duration.ofSeconds(10)).until(() -> up(bridge.readiness()));

        NATS.connect().jetStreamManagement().deleteStream(STREAM);

        await().atMost(Duration.ofSeconds(10)).until(() -> !up(bridge.readiness()));
        assertThat((String) data(bridge.readiness()).get(HealthChecks.REASON))
                .contains("stream '" + STREAM + "' does not exist");
    }

    @Test
    void withoutAutoProvisionMakesNoJetStreamApiCall() throws Exception {
        BridgeConfig admin = BridgeConfig.builder().appName("orders").destinationApp("billing")
                .natsUrls(NATS.url()).build();
        new StreamProvisioner(NATS.connect().jetStreamManagement(), admin).provision();
        Connection monitor = NATS.connect();
        Subscription apiCalls = monitor.subscribe("$JS.API.>");
        monitor.flush(Duration.ofSeconds(2));

        bridge = HealthFixture.start(config(Map.of("jetstream.bridge.auto-provision", "false",
                "jetstream.bridge.consumer.enabled", "false")));
        List<HealthCheckResponse> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            answers.add(bridge.readiness());
        }
        monitor.flush(Duration.ofSeconds(2));

        assertThat(answers).allSatisfy(r -> assertThat(up(r)).as("%s", r.getData()).isTrue());
        assertThat(data(answers.get(0)))
                .containsEntry("connection", "CONNECTED")
                .containsEntry("auto-provision", false)
                .containsEntry("stream", STREAM)
                .containsKey("rtt-ms")
                .doesNotContainKeys("dlq-messages", "consumer-pending", "stream-messages", "consumer-state");
        assertThat(apiCalls.nextMessage(Duration.ofMillis(200))).as("a $JS.API request").isNull();
    }
}
