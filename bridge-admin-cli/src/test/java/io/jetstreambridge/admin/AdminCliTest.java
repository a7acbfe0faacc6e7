package io.jetstreambridge.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.ServerGivesUp;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamInfo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Every command run in-process against a real nats-server with user/password authentication. */
class AdminCliTest {

    private static final String STREAM = "jetstream-bridge-stream";

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create(server -> server
            .credentials("admin", "admin-secret")
            .extraConfig("""
                    authorization {
                      users = [ { user: admin, password: admin-secret } ]
                    }
                    """));

    @TempDir
    Path dir;

    private Path config;

    @BeforeEach
    void applicationConfiguration() throws IOException {
        NATS.cleanJetStream();
        config = write("app.properties", """
                jetstream.bridge.app-name=orders
                jetstream.bridge.destination-app=billing
                jetstream.bridge.nats.urls=%s
                jetstream.bridge.nats.user=admin
                jetstream.bridge.auto-provision=false
                """.formatted(NATS.url()));
    }

    /** The password comes from the environment, as a deployment would pass it. */
    private static Map<String, String> env() {
        return Map.of("JETSTREAM_BRIDGE_NATS_PASSWORD", "admin-secret");
    }

    private CliRun cli(String command, String... more) {
        String[] args = new String[more.length + 3];
        args[0] = command;
        args[1] = "--config";
        args[2] = config.toString();
        System.arraycopy(more, 0, args, 3, more.length);
        return CliRun.of(env(), args);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void validateListsEveryProblemAtOnceWithExitTwo() throws IOException {
        config = write("bad.properties", """
                jetstream.bridge.app-name=orders
                jetstream.bridge.destination-app=orders
                jetstream.bridge.stream.replicas=7
                jetstream.bridge.consumer.max-delivr=3
                jetstream.bridge.nats.password=oops
                """);

        CliRun run = CliRun.of(Map.of(), "validate", "--config", config.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.out()).contains("(4 problems)")
                .contains("jetstream.bridge.destination-app = 'orders': must differ")
                .contains("jetstream.bridge.stream.replicas = '7': a whole number from 1 to 5")
                .contains("did you mean jetstream.bridge.consumer.max-deliver?")
                .contains("jetstream.bridge.nats.user (not set): is required when jetstream.bridge.nats.password")
                .doesNotContain("oops");
    }

    @Test
    void validateReadsTheEnvironmentOverTheFileAsMicroProfileConfigDoes() {
        CliRun run = CliRun.of(Map.of("JETSTREAM_BRIDGE_NATS_PASSWORD", "from-env",
                        "JETSTREAM_BRIDGE_STREAM_REPLICAS", "3", "JETSTREAM_BRIDGE_AUTO_PROVISION", "true"),
                "validate", "-c", config.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("configuration is valid")
                .containsPattern("stream +jetstream-bridge-stream \\(file, replicas 3, duplicate window 2m\\)")
                .containsPattern("consumer +orders-workers on billing.sync.orders \\(pull\\)")
                .containsPattern("auto-provision +true")
                .containsPattern("authentication: user-password")
                .doesNotContain("from-env");
    }

    @Test
    void anEnvironmentValueThatBreaksARuleIsReportedUnderItsKey() {
        CliRun run = CliRun.of(Map.of("JETSTREAM_BRIDGE_PUBLISH_MAX_ATTEMPTS", "0"), "validate", "-c",
                config.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).contains("jetstream.bridge.publish.max-attempts = '0': a whole number from 1 to 100");
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(CliRun.of(Map.of()).exitCode()).isEqualTo(2);
        assertThat(CliRun.of(Map.of(), "frobnicate").exitCode()).isEqualTo(2);
        assertThat(CliRun.of(Map.of(), "health", "--no-such-option").exitCode()).isEqualTo(2);
        CliRun missingFile = CliRun.of(Map.of(), "provision", "--config", dir.resolve("nope.properties").toString());
        assertThat(missingFile.exitCode()).isEqualTo(2);
        assertThat(missingFile.err()).contains("--config").contains("no readable file at");
    }

    @Test
    void everyCommandWithAnInvalidConfigurationExitsWithTwoBeforeConnecting() {
        for (String command : new String[] {"test-connection", "provision", "health"}) {
            CliRun run = CliRun.of(Map.of("JETSTREAM_BRIDGE_STREAM_REPLICAS", "9"), command, "-c",
                    config.toString());
            assertThat(run.exitCode()).as(command + ": " + run).isEqualTo(2);
            assertThat(run.err()).contains("jetstream.bridge.stream.replicas = '9'");
        }
    }

    @Test
    void anUnreachableServerExitsWithThree() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        for (String command : new String[] {"test-connection", "provision", "health"}) {
            CliRun run = CliRun.of(Map.of("JETSTREAM_BRIDGE_NATS_URLS", "nats://127.0.0.1:" + closedPort,
                    "JETSTREAM_BRIDGE_NATS_PASSWORD", "admin-secret"), command, "-c", config.toString());
            assertThat(run.exitCode()).as(command + ": " + run).isEqualTo(3);
            assertThat(run.err()).contains("cannot connect").contains("127.0.0.1:" + closedPort)
                    .doesNotContain("admin-secret");
        }
    }

    @Test
    void refusedCredentialsExitWithThree() {
        CliRun run = CliRun.of(Map.of("JETSTREAM_BRIDGE_NATS_PASSWORD", "wrong-secret"), "test-connection", "-c",
                config.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.err()).contains("Authorization Violation").doesNotContain("wrong-secret");
    }

    @Test
    void testConnectionShowsServerRoundTripAndJetStreamAccount() {
        CliRun run = cli("test-connection");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("connected")
                .containsPattern("server +nats://127.0.0.1:" + NATS.server().port())
                .containsPattern("version +2\\.")
                .containsPattern("authentication +user-password")
                .containsPattern("rtt +\\d+")
                .containsPattern("jetstream-streams +0 of unlimited")
                .containsPattern("jetstream-storage +\\d+ of ");
    }

    @Test
    void provisionCreatesWhatAutoProvisionWouldAndIsIdempotent() throws Exception {
        CliRun first = cli("provision");
        CliRun second = cli("provision");

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).containsPattern("stream +jetstream-bridge-stream created")
                .containsPattern("consumer +orders-workers created on billing.sync.orders");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out()).containsPattern("stream +jetstream-bridge-stream unchanged")
                .containsPattern("consumer +orders-workers unchanged");
        JetStreamManagement jsm = NATS.connect().jetStreamManagement();
        StreamInfo stream = jsm.getStreamInfo(STREAM);
        assertThat(stream.getConfiguration().getSubjects())
                .containsExactlyInAnyOrder("orders.sync.billing", "billing.sync.orders", "orders.sync.dlq");
        assertThat(stream.getConfiguration().getDuplicateWindow()).isEqualTo(Duration.ofMinutes(2));
        ConsumerConfiguration consumer = jsm.getConsumerInfo(STREAM, "orders-workers").getConsumerConfiguration();
        assertThat(consumer.getFilterSubject()).isEqualTo("billing.sync.orders");
        assertThat(consumer.getMaxDeliver()).isEqualTo(10); // consumer.max-deliver 5 plus the spare deliveries
    }

    @Test
    void provisionUpdatesTheChangeableSettingsOfAnExistingConsumer() throws Exception {
        assertThat(cli("provision").exitCode()).isZero();

        CliRun updated = CliRun.of(Map.of("JETSTREAM_BRIDGE_NATS_PASSWORD", "admin-secret",
                "JETSTREAM_BRIDGE_CONSUMER_MAX_DELIVER", "12", "JETSTREAM_BRIDGE_CONSUMER_BACKOFF", "2s,4s"),
                "provision", "-c", config.toString());

        assertThat(updated.exitCode()).as(updated.toString()).isZero();
        assertThat(updated.out()).containsPattern("consumer +orders-workers updated on billing.sync.orders")
                .contains("consumer orders-workers: max_deliver is 10, configured 17")
                .contains("consumer orders-workers: backoff is [1s, 5s, 15s, 30s], configured [2s, 4s]");
        ConsumerConfiguration consumer = NATS.connect().jetStreamManagement().getConsumerInfo(STREAM,
                "orders-workers").getConsumerConfiguration();
        assertThat(consumer.getMaxDeliver()).isEqualTo(17);
        assertThat(consumer.getBackoff()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void provisionReportsDriftWithExitOne() {
        assertThat(cli("provision").exitCode()).isZero();

        CliRun drifted = CliRun.of(Map.of("JETSTREAM_BRIDGE_NATS_PASSWORD", "admin-secret",
                "JETSTREAM_BRIDGE_CONSUMER_MAX_DELIVER", "12", "JETSTREAM_BRIDGE_CONSUMER_DRIFT", "report"),
                "provision", "-c", config.toString());

        assertThat(drifted.exitCode()).as(drifted.toString()).isEqualTo(1);
        assertThat(drifted.err()).contains("drift: consumer orders-workers: max_deliver is 10, configured 17")
                .contains("left as they are");
    }

    @Test
    void healthIsDownBeforeProvisioningAndShowsStreamAndConsumerAfter() throws Exception {
        CliRun before = cli("health");
        assertThat(before.exitCode()).as(before.toString()).isEqualTo(1);
        assertThat(before.out()).startsWith("DOWN").contains("stream 'jetstream-bridge-stream' does not exist");

        assertThat(cli("provision").exitCode()).isZero();
        NATS.connect().jetStream().publish("billing.sync.orders", "{}".getBytes());
        NATS.connect().jetStream().publish("orders.sync.dlq", "{}".getBytes());

        CliRun after = cli("health");
        assertThat(after.exitCode()).as(after.toString()).isZero();
        assertThat(after.out()).startsWith("UP")
                .containsPattern("connection +CONNECTED")
                .containsPattern("stream-messages +2")
                .containsPattern("dlq-messages +1")
                .containsPattern("consumer-pending +1")
                .containsPattern("consumer-ack-pending +0")
                .containsPattern("consumer-redelivered +0");
    }

    @Test
    void healthIsDownWhenTheConsumerIsMissing() throws Exception {
        assertThat(cli("provision").exitCode()).isZero();
        NATS.connect().jetStreamManagement().deleteConsumer(STREAM, "orders-workers");

        CliRun run = cli("health");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("durable consumer 'orders-workers' does not exist");
    }

    @Test
    void healthShowsMessagesTheServerWillNotDeliverAgain() throws Exception {
        config = write("give-up.properties", """
                jetstream.bridge.app-name=orders
                jetstream.bridge.destination-app=billing
                jetstream.bridge.nats.urls=%s
                jetstream.bridge.nats.user=admin
                jetstream.bridge.auto-provision=false
                jetstream.bridge.consumer.max-deliver=1
                jetstream.bridge.consumer.backoff=none
                """.formatted(NATS.url()));
        assertThat(cli("provision").exitCode()).isZero();
        long sequence = NATS.connect().jetStream().publish("billing.sync.orders", "{}".getBytes()).getSeqno();
        ServerGivesUp.nakUntilTheServerGivesUp(NATS.connect(), STREAM, "orders-workers", "billing.sync.orders");

        CliRun run = cli("health");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).containsPattern("consumer-pending +0")
                .containsPattern("consumer-undeliverable +1")
                .containsPattern("consumer-undeliverable-first-sequence +" + sequence);
    }

    private Path twoPeers(String peers) throws IOException {
        return write("peers.properties", """
                jetstream.bridge.app-name=orders
                jetstream.bridge.destination-apps=%s
                jetstream.bridge.nats.urls=%s
                jetstream.bridge.nats.user=admin
                jetstream.bridge.auto-provision=false
                """.formatted(peers, NATS.url()));
    }

    @Test
    void validateShowsEveryPeer() throws IOException {
        config = twoPeers("billing,shipping");

        CliRun run = cli("validate");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).containsPattern("destination-apps +billing, shipping \\(primary billing\\)")
                .containsPattern("stream subjects +orders.sync.billing, billing.sync.orders, orders.sync.dlq, "
                        + "orders.sync.shipping, shipping.sync.orders")
                .containsPattern("peer billing +publish orders.sync.billing, consume billing.sync.orders, "
                        + "durable orders-workers \\(primary\\)")
                .containsPattern("peer shipping +publish orders.sync.shipping, consume shipping.sync.orders, "
                        + "durable orders-workers-shipping\\n")
                .containsPattern("consumers +pull, one durable per peer");
    }

    @Test
    void provisionCreatesEveryPeersDurableWithALineEach() throws Exception {
        config = twoPeers("billing,shipping");

        CliRun first = cli("provision");
        CliRun second = cli("provision");

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).containsPattern("stream +jetstream-bridge-stream created, subjects: "
                        + "orders.sync.billing, billing.sync.orders, orders.sync.dlq, orders.sync.shipping, "
                        + "shipping.sync.orders")
                .containsPattern("consumer +orders-workers created on billing.sync.orders \\(peer billing\\)")
                .containsPattern("consumer +orders-workers-shipping created on shipping.sync.orders "
                        + "\\(peer shipping\\)");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out()).containsPattern("consumer +orders-workers unchanged")
                .containsPattern("consumer +orders-workers-shipping unchanged");
        JetStreamManagement jsm = NATS.connect().jetStreamManagement();
        assertThat(jsm.getConsumerInfo(STREAM, "orders-workers-shipping").getConsumerConfiguration()
                .getFilterSubject()).isEqualTo("shipping.sync.orders");

        CliRun health = cli("health");
        assertThat(health.exitCode()).as(health.toString()).isZero();
        assertThat(health.out()).containsPattern("consumer-pending +0")
                .containsPattern("consumer-shipping-pending +0");
    }

    @Test
    void provisionRefusesReorderedPeersWithExitOne() throws Exception {
        config = twoPeers("billing,shipping");
        assertThat(cli("provision").exitCode()).isZero();
        config = twoPeers("shipping,billing");

        CliRun run = cli("provision");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).contains("durable consumer 'orders-workers'")
                .contains("consumes 'billing.sync.orders' (peer 'billing')")
                .contains("Keep 'billing' first in destination-apps")
                .contains("nats consumer rm jetstream-bridge-stream orders-workers");
        assertThat(NATS.connect().jetStreamManagement().getConsumerInfo(STREAM, "orders-workers")
                .getConsumerConfiguration().getFilterSubject()).isEqualTo("billing.sync.orders");
    }
}
