package io.jetstreambridge.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.envelope.EnvelopeFactory;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.publish.Publisher;
import io.jetstreambridge.cdi.BridgeEntityManagers;
import io.jetstreambridge.cdi.ConsumerRuntime;
import io.jetstreambridge.core.publish.DirectPublisher;
import io.jetstreambridge.core.publish.PayloadMapper;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.cdi.JtaContainer;
import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamInfoOptions;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.spi.JsonProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ForkJoinPool;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The acceptance of the command line: it provisions what a restricted application then uses. The server knows
 * three users: the application {@code orders} with exactly the pull-mode permissions of
 * docs/restricted-permissions.md (no stream or consumer management), the narrowly scoped {@code provisioner} of
 * the same page, and an unrestricted {@code admin} that plays the other application. One properties file serves
 * both the application and the command line; the provisioner's credentials come from the environment.
 */
class RestrictedProvisioningTest {

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
                              "$JS.API.CONSUMER.MSG.NEXT.jetstream-bridge-stream.orders-workers",
                              "$JS.API.CONSUMER.INFO.jetstream-bridge-stream.orders-workers",
                              "$JS.ACK.jetstream-bridge-stream.orders-workers-shipping.>",
                              "$JS.API.CONSUMER.MSG.NEXT.jetstream-bridge-stream.orders-workers-shipping",
                              "$JS.API.CONSUMER.INFO.jetstream-bridge-stream.orders-workers-shipping"
                            ] }
                            subscribe: { allow: [ "_INBOX.>" ] }
                        } }
                        { user: provisioner, password: provisioner-secret, permissions: {
                            publish: { allow: [
                              "$JS.API.STREAM.INFO.jetstream-bridge-stream",
                              "$JS.API.STREAM.CREATE.jetstream-bridge-stream",
                              "$JS.API.STREAM.UPDATE.jetstream-bridge-stream",
                              "$JS.API.STREAM.LIST",
                              "$JS.API.CONSUMER.INFO.jetstream-bridge-stream.orders-workers",
                              "$JS.API.CONSUMER.CREATE.jetstream-bridge-stream.orders-workers.billing.sync.orders",
                              "$JS.API.CONSUMER.INFO.jetstream-bridge-stream.orders-workers-shipping",
                              "$JS.API.CONSUMER.CREATE.jetstream-bridge-stream.orders-workers-shipping.shipping.sync.orders"
                            ] }
                            subscribe: { allow: [ "_INBOX.>" ] }
                        } }
                      ]
                    }
                    """));

    private static final Map<String, String> PROVISIONER = Map.of(
            "JETSTREAM_BRIDGE_NATS_USER", "provisioner",
            "JETSTREAM_BRIDGE_NATS_PASSWORD", "provisioner-secret");

    @TempDir
    Path dir;

    @Test
    void theCommandLineProvisionsWhatTheRestrictedApplicationThenUses() throws Exception {
        NATS.cleanJetStream();
        Path config = Files.writeString(dir.resolve("orders.properties"), """
                jetstream.bridge.app-name=orders
                jetstream.bridge.destination-app=billing
                jetstream.bridge.nats.urls=%s
                jetstream.bridge.nats.user=orders
                jetstream.bridge.nats.password=app-secret
                jetstream.bridge.auto-provision=false
                jetstream.bridge.consumer.fetch-timeout=200ms
                jetstream.bridge.health.check-timeout=1s
                """.formatted(NATS.url()));

        CliRun asApplication = CliRun.of(Map.of(), "provision", "--config", config.toString());
        assertThat(asApplication.exitCode()).as("the application user may not provision: " + asApplication)
                .isEqualTo(1);
        assertThat(asApplication.err()).contains("provision failed").contains("auto-provision=false");

        CliRun provisioned = CliRun.of(PROVISIONER, "provision", "--config", config.toString());
        assertThat(provisioned.exitCode()).as(provisioned.toString()).isZero();
        assertThat(provisioned.out()).containsPattern("stream +jetstream-bridge-stream created")
                .containsPattern("consumer +orders-workers created");
        CliRun health = CliRun.of(PROVISIONER, "health", "--config", config.toString());
        assertThat(health.exitCode()).as(health.toString()).isZero();

        long violationsBefore = permissionViolations();
        try (Connection adminConnection = NATS.connect();
             JtaContainer orders = JtaContainer.builder().withBridgeRuntime()
                     .beanClasses(ConsumerRuntime.class, BridgeEntityManagers.class, InvoiceEvents.class)
                     .config(properties(config))
                     .start()) {
            PublishResult invoice = billingPublisher(adminConnection)
                    .publish(OutgoingEvent.builder("invoice.created", Map.of("id", "INV-1")).build());
            PublishResult order = orders.select(Publisher.class).publish("order.created", Map.of("id", 7));

            assertThat(order.outcome()).isEqualTo(PublishResult.Outcome.PUBLISHED);
            InvoiceEvents observer = orders.select(InvoiceEvents.class);
            await().atMost(Duration.ofSeconds(20)).until(() -> observer.received().contains(invoice.eventId()));
            await().atMost(Duration.ofSeconds(10)).until(() -> consumerPending(CliRun.of(PROVISIONER, "health",
                    "--config", config.toString())) == 0);
            assertThat(observer.received()).containsExactly(invoice.eventId());
            StreamInfo stream = adminConnection.jetStreamManagement()
                    .getStreamInfo(STREAM, StreamInfoOptions.filterSubjects("orders.sync.billing"));
            assertThat(stream.getStreamState().getSubjectMap()).containsEntry("orders.sync.billing", 1L);
        }
        assertThat(permissionViolations()).as("the application stayed inside its permissions")
                .isEqualTo(violationsBefore);
    }

    /**
     * Two peers: the provisioner, allowed the second durable's create as docs/restricted-permissions.md lists it,
     * provisions both; the application user, allowed each peer's publish subject and each durable's fetch and ack,
     * takes a message from each durable without a permissions violation.
     */
    @Test
    void theCommandLineProvisionsEveryPeerForTheRestrictedApplication() throws Exception {
        NATS.cleanJetStream();
        Path config = Files.writeString(dir.resolve("orders-peers.properties"), """
                jetstream.bridge.app-name=orders
                jetstream.bridge.destination-apps=billing,shipping
                jetstream.bridge.nats.urls=%s
                jetstream.bridge.nats.user=orders
                jetstream.bridge.nats.password=app-secret
                jetstream.bridge.auto-provision=false
                jetstream.bridge.health.check-timeout=1s
                """.formatted(NATS.url()));

        CliRun provisioned = CliRun.of(PROVISIONER, "provision", "--config", config.toString());
        assertThat(provisioned.exitCode()).as(provisioned.toString()).isZero();
        assertThat(provisioned.out()).containsPattern("consumer +orders-workers created on billing.sync.orders")
                .containsPattern("consumer +orders-workers-shipping created on shipping.sync.orders");
        CliRun health = CliRun.of(PROVISIONER, "health", "--config", config.toString());
        assertThat(health.exitCode()).as(health.toString()).isZero();
        assertThat(health.out()).containsPattern("consumer-pending +0")
                .containsPattern("consumer-shipping-pending +0");

        long violationsBefore = permissionViolations();
        try (Connection adminConnection = NATS.connect();
             Connection application = NATS.connect(o -> o.userInfo("orders", "app-secret"))) {
            adminConnection.jetStream().publish("billing.sync.orders", "{}".getBytes(StandardCharsets.UTF_8));
            adminConnection.jetStream().publish("shipping.sync.orders", "{}".getBytes(StandardCharsets.UTF_8));
            for (String durable : List.of("orders-workers", "orders-workers-shipping")) {
                JetStreamSubscription pull = application.jetStream().subscribe(null,
                        PullSubscribeOptions.fastBind(STREAM, durable));
                List<Message> fetched = pull.fetch(1, Duration.ofSeconds(5));
                assertThat(fetched).as(durable).hasSize(1);
                fetched.get(0).ackSync(Duration.ofSeconds(5));
                pull.unsubscribe();
            }
            application.publish("orders.sync.shipping", "{}".getBytes(StandardCharsets.UTF_8));
            application.flush(Duration.ofSeconds(5));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> consumerPending(CliRun.of(PROVISIONER, "health",
                "--config", config.toString())) == 0);
        assertThat(permissionViolations()).as("the application stayed inside its permissions")
                .isEqualTo(violationsBefore);
    }

    /** The same file, as the application server's MicroProfile Config would hold it. */
    private static Map<String, String> properties(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        Map<String, String> map = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name)));
        return map;
    }

    private static DirectPublisher billingPublisher(Connection connection) {
        BridgeConfig billing = BridgeConfig.builder().appName("billing").destinationApp("orders")
                .natsUrls(NATS.url()).set(ConfigKey.CONSUMER_ENABLED, "false").build();
        JsonProvider json = JsonProvider.provider();
        return DirectPublisher.builder().connection(connection).topology(billing.topology())
                .settings(billing.publish()).envelopes(new EnvelopeFactory("billing", Clock.systemUTC()))
                .codec(new EnvelopeCodec(json)).payloads(new PayloadMapper(JsonbBuilder.create(), json))
                .executor(ForkJoinPool.commonPool())
                .build();
    }

    private static long consumerPending(CliRun health) {
        Matcher pending = Pattern.compile("consumer-pending +(\\d+)").matcher(health.out());
        assertThat(pending.find()).as(health.toString()).isTrue();
        return Long.parseLong(pending.group(1));
    }

    private static long permissionViolations() throws IOException {
        Path log = NATS.server().logFile();
        return Files.readAllLines(log).stream().filter(line -> line.contains("Permissions Violation")).count();
    }
}
