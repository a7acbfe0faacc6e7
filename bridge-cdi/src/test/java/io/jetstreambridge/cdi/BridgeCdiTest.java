package io.jetstreambridge.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.publish.Publisher;
import io.jetstreambridge.core.topology.ProvisioningReport;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.cdi.BridgeContainers;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import jakarta.enterprise.inject.spi.DeploymentException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

class BridgeCdiTest {

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    @BeforeEach
    void clean() throws Exception {
        NATS.cleanJetStream();
    }

    /** Publishing only: this container has no JTA, which the consumer needs (see ConsumerCdiTest). */
    private static Map<String, String> orders() {
        return BridgeContainers.publishingOnly(NATS.url());
    }

    @Test
    void startsProvisionsAndPublishesThroughInjectedPublisher() throws Exception {
        JetStreamManagement jsm = NATS.connect().jetStreamManagement();
        try (BridgeContainer container = BridgeContainer.start(orders())) {
            // provisioned at application start, before anything is published
            assertThat(jsm.getStreamNames()).containsExactly("jetstream-bridge-stream");
            assertThat(container.select(BridgeRuntime.class).provisioning())
                    .map(ProvisioningReport::streamAction).contains(ProvisioningReport.Action.CREATED);

            PublishResult result = container.select(Publisher.class).publish("order.created", Map.of("id", 1));

            assertThat(result.outcome()).isEqualTo(PublishResult.Outcome.PUBLISHED);
            assertThat(jsm.getStreamInfo("jetstream-bridge-stream").getStreamState().getMsgCount()).isEqualTo(1);
        }
    }

    @Test
    void everyPeerIsProvisionedNamedInTheStartUpLogAndProvisionedAgain() throws Exception {
        Map<String, String> peers = new HashMap<>(orders());
        peers.remove("jetstream.bridge.destination-app");
        peers.put("jetstream.bridge.destination-apps", "billing,shipping");
        List<String> started = new CopyOnWriteArrayList<>();
        Handler startUp = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getMessage() != null && record.getMessage().startsWith("JSB9001")) {
                    started.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger bridgeLog = Logger.getLogger("io.jetstreambridge");
        bridgeLog.addHandler(startUp);
        JetStreamManagement jsm = NATS.connect().jetStreamManagement();
        try (BridgeContainer container = BridgeContainer.start(peers)) {
            BridgeRuntime runtime = container.select(BridgeRuntime.class);
            // the consumer needs JTA, which this container lacks: each peer's durable is reported skipped
            assertThat(runtime.provisioning().orElseThrow().consumers())
                    .extracting(ProvisioningReport.ConsumerOutcome::durable)
                    .containsExactly("orders-workers", "orders-workers-shipping");
            assertThat(started).singleElement().asString()
                    .contains("destinations 'billing', 'shipping' (primary 'billing')");
            StreamConfiguration stream = jsm.getStreamInfo("jetstream-bridge-stream").getConfiguration();
            assertThat(stream.getSubjects()).contains("orders.sync.shipping", "shipping.sync.orders");

            jsm.updateStream(StreamConfiguration.builder(stream).subjects("orders.sync.billing",
                    "billing.sync.orders", "orders.sync.dlq").build());
            runtime.reprovision();

            assertThat(runtime.provisioning().orElseThrow().addedSubjects())
                    .containsExactly("orders.sync.shipping", "shipping.sync.orders");
            assertThat(jsm.getStreamInfo("jetstream-bridge-stream").getConfiguration().getSubjects())
                    .contains("orders.sync.shipping", "shipping.sync.orders");
        } finally {
            bridgeLog.removeHandler(startUp);
        }
    }

    @Test
    void stoppingTheApplicationDrainsAndClosesTheConnection() {
        Connection connection;
        try (BridgeContainer container = BridgeContainer.start(orders())) {
            connection = container.select(BridgeRuntime.class).connection();
            assertThat(connection.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        }
        assertThat(connection.getStatus()).isEqualTo(Connection.Status.CLOSED);
    }

    @Test
    void lazyConnectStartsWhileNatsIsDownAndProvisionsWhenItArrives() {
        NATS.server().stop();
        Map<String, String> lazy = new HashMap<>(orders());
        lazy.put("jetstream.bridge.nats.lazy-connect", "true");
        lazy.put("jetstream.bridge.nats.reconnect-wait", "100ms");

        try (BridgeContainer container = BridgeContainer.start(lazy)) {
            Publisher publisher = container.select(Publisher.class);
            assertThatThrownBy(() -> publisher.publish("order.created", Map.of("id", 1)))
                    .hasStackTraceContaining("NATS is not connected yet");

            NATS.server().restart();
            BridgeRuntime runtime = container.select(BridgeRuntime.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> runtime.provisioning().isPresent());

            assertThat(publisher.publish("order.created", Map.of("id", 1)).outcome())
                    .isEqualTo(PublishResult.Outcome.PUBLISHED);
        }
    }

    @Test
    void stopEndsALazyConnectThatNeverSucceeded() throws Exception {
        Map<String, String> lazy = new HashMap<>(orders());
        lazy.put("jetstream.bridge.nats.urls", "nats://127.0.0.1:" + closedPort());
        lazy.put("jetstream.bridge.nats.lazy-connect", "true");
        lazy.put("jetstream.bridge.nats.reconnect-wait", "100ms");
        AtomicInteger attempts = new AtomicInteger();
        Handler connectionErrors = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getMessage() != null && record.getMessage().startsWith("JSB1003")) {
                    attempts.incrementAndGet();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger bridgeLog = Logger.getLogger("io.jetstreambridge");
        bridgeLog.addHandler(connectionErrors);
        try {
            try (BridgeContainer container = BridgeContainer.start(lazy)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() >= 2);
            }
            int atStop = attempts.get();

            // jnats would try every 100 ms; after shut-down it must not try at all
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> attempts.get() <= atStop + 1);
        } finally {
            bridgeLog.removeHandler(connectionErrors);
        }
    }

    /** A port nothing listens on. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void badConfigurationFailsTheDeploymentListingEveryProblem() {
        Map<String, String> bad = Map.of(
                "jetstream.bridge.destination-app", "dlq",
                "jetstream.bridge.nats.urls", NATS.url(),
                "jetstream.bridge.consumer.max-deliver", "3",
                "jetstream.bridge.consumer.ack-wait", "soon",
                "jetstream.bridge.nats.password", "hunter2",
                "jetstream.bridge.consumer.batch-sise", "10");

        assertThatThrownBy(() -> BridgeContainer.start(bad).close())
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("jetstream.bridge.app-name (not set): is required")
                .hasMessageContaining("jetstream.bridge.destination-app = 'dlq'")
                .hasMessageContaining("jetstream.bridge.consumer.backoff = '1s,5s,15s,30s': has 4 steps but "
                        + "jetstream.bridge.consumer.max-deliver is 3")
                .hasMessageContaining("jetstream.bridge.consumer.ack-wait = 'soon'")
                .hasMessageContaining("jetstream.bridge.nats.user (not set): is required when "
                        + "jetstream.bridge.nats.password is set")
                .hasMessageContaining("did you mean jetstream.bridge.consumer.batch-size?")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }

    @Test
    void consumerWithoutJtaFailsTheDeploymentWithTheReason() {
        Map<String, String> consumer = new HashMap<>(orders());
        consumer.put("jetstream.bridge.consumer.enabled", "true");

        assertThatThrownBy(() -> BridgeContainer.start(consumer).close())
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("jetstream.bridge.consumer.enabled=true needs JTA");
    }

    @Test
    void inboxWithoutEntityManagerFailsTheDeploymentPointingToTheDocThatShowsTheProducer() throws IOException {
        Map<String, String> inbox = new HashMap<>(orders());
        inbox.put("jetstream.bridge.inbox.enabled", "true");

        assertThatThrownBy(() -> BridgeContainer.start(inbox, BridgeEntityManagers.class).close())
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("need the application's EntityManager")
                .hasMessageContaining("(see docs/getting-started.md, section 6)");
        // and that doc really shows the producer the message names
        String gettingStarted = Files.readString(Path.of("..", "docs", "getting-started.md"));
        assertThat(gettingStarted).contains("## 6. Tell the bridge which `EntityManager` to use")
                .contains("@Produces", "@BridgePersistence", "@PersistenceContext(unitName = \"sample\")",
                        "EntityManager bridgeEntityManager;");
    }

    @Test
    void unreachableNatsFailsTheStartWithTheServerNamed() {
        Map<String, String> unreachable = BridgeContainers.publishingOnly("nats://127.0.0.1:1");
        unreachable.put("jetstream.bridge.nats.connect-timeout", "500ms");

        assertThatThrownBy(() -> BridgeContainer.start(unreachable).close())
                .hasStackTraceContaining("cannot connect 'jetstream-bridge:orders' to nats://127.0.0.1:1")
                .hasStackTraceContaining("jetstream.bridge.nats.lazy-connect");
    }
}
