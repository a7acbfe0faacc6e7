package io.jetstreambridge.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.testing.fakes.FakeEngine;
import io.jetstreambridge.core.topology.StreamProvisioner;
import io.jetstreambridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;

/**
 * The stream and consumer health of an application with two peers: every peer's subjects on the stream, every
 * peer's durable present, with figures per durable; and readiness with auto-provision off, which asks JetStream
 * nothing, for a user allowed only what the application needs with its two durables.
 */
class PeersStreamStateTest {

    private static final String STREAM = "jetstream-bridge-stream";

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create(server -> server
            .credentials("admin", "admin-secret")
            .extraConfig("""
                    authorization {
                      users = [
                        { user: admin, password: admin-secret }
                        { user: orders, password: app-secret, permissions: {
                            publish: { allow: [
                              "orders.sync.billing",
                              "orders.sync.shipping",
                              "orders.sync.dlq",
                              "$JS.ACK.jetstream-bridge-stream.orders-workers.>",
                              "$JS.ACK.jetstream-bridge-stream.orders-workers-shipping.>",
                              "$JS.API.CONSUMER.MSG.NEXT.jetstream-bridge-stream.orders-workers",
                              "$JS.API.CONSUMER.MSG.NEXT.jetstream-bridge-stream.orders-workers-shipping"
                            ] }
                            subscribe: { allow: [ "_INBOX.>" ] }
                        } }
                      ]
                    }
                    """));

    private JetStreamManagement jsm;
    private Connection admin;

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        admin = NATS.connect();
        jsm = admin.jetStreamManagement();
    }

    private static BridgeConfig.Builder orders(String... peers) {
        return BridgeConfig.builder().appName("orders").destinationApps(peers).natsUrls(NATS.url())
                .set(ConfigKey.HEALTH_CHECK_TIMEOUT, "2s");
    }

    @Test
    void everyDurableIsCheckedAndCountedOnItsOwn() throws Exception {
        new StreamProvisioner(jsm, orders("billing", "shipping").build()).provision();
        admin.jetStream().publish("billing.sync.orders", "1".getBytes(StandardCharsets.UTF_8));
        admin.jetStream().publish("billing.sync.orders", "2".getBytes(StandardCharsets.UTF_8));
        admin.jetStream().publish("shipping.sync.orders", "3".getBytes(StandardCharsets.UTF_8));

        HealthContribution health = new StreamStateProbe(orders("billing", "shipping").build()).inspect(admin);

        assertThat(health.up()).as("%s", health).isTrue();
        assertThat(health.data())
                .containsEntry("consumer-pending", 2L)
                .containsEntry("consumer-shipping-pending", 1L)
                .containsEntry("consumer-shipping-undeliverable", 0L)
                .containsEntry("consumer-undeliverable", 0L)
                .doesNotContainKey("consumers-missing");
    }

    @Test
    void aMissingFurtherDurableMakesItDown() throws Exception {
        new StreamProvisioner(jsm, orders("billing", "shipping").build()).provision();
        jsm.deleteConsumer(STREAM, "orders-workers-shipping");

        HealthContribution health = new StreamStateProbe(orders("billing", "shipping").build()).inspect(admin);

        assertThat(health.up()).isFalse();
        assertThat(health.reasons()).containsExactly("durable consumer 'orders-workers-shipping' does not exist on "
                + "stream '" + STREAM + "'");
        assertThat(health.data()).containsEntry("consumers-missing", "orders-workers-shipping")
                .containsKey("consumer-pending");
    }

    @Test
    void anAddedPeerWhoseSubjectsAndDurableAreNotProvisionedYetMakesItDown() throws Exception {
        new StreamProvisioner(jsm, orders("billing").build()).provision();

        HealthContribution health = new StreamStateProbe(orders("billing", "shipping").build()).inspect(admin);

        assertThat(health.up()).isFalse();
        assertThat(health.data()).containsEntry("stream-subjects-missing", "orders.sync.shipping,shipping.sync.orders")
                .containsEntry("consumers-missing", "orders-workers-shipping");
    }

    @Test
    void withAutoProvisionOffReadinessAsksJetStreamNothingForTwoDurables() throws Exception {
        new StreamProvisioner(jsm, orders("billing", "shipping").build()).provision();
        long violationsBefore = permissionViolations();
        Connection restricted = NATS.connect(options -> options.userInfo("orders", "app-secret"));
        BridgeConfig config = orders("billing", "shipping").set(ConfigKey.AUTO_PROVISION, "false").build();

        HealthContribution readiness = new ReadinessProbe(config).check(Optional.of(restricted), Optional.empty(),
                Optional.empty(), java.util.Map.of("orders-workers", new FakeEngine(), "orders-workers-shipping", new FakeEngine()),
                Optional.empty());

        assertThat(readiness.up()).as("%s", readiness).isTrue();
        assertThat(readiness.data()).containsEntry("auto-provision", false).doesNotContainKey("stream-messages");
        restricted.flush(java.time.Duration.ofSeconds(2));
        assertThat(permissionViolations()).as("no $JS.API call").isEqualTo(violationsBefore);
    }

    private static long permissionViolations() throws IOException {
        return Files.readAllLines(NATS.server().logFile()).stream()
                .filter(line -> line.contains("Permissions Violation")).count();
    }
}
