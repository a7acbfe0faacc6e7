package io.jetstreambridge.core.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.core.topology.ProvisioningReport.Action;
import io.jetstreambridge.testing.NatsServerExtension;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;

class StreamProvisionerTest {

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private JetStreamManagement jsm;

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        jsm = NATS.connect().jetStreamManagement();
    }

    private static BridgeConfig.Builder orders() {
        return BridgeConfig.builder().appName("orders").destinationApp("billing").natsUrls(NATS.url());
    }

    @Test
    void createsStreamAndConsumerAsTheContractSays() throws Exception {
        ProvisioningReport report = new StreamProvisioner(jsm, orders().build()).provision();

        assertThat(report.streamAction()).isEqualTo(Action.CREATED);
        assertThat(report.primaryConsumer().action()).isEqualTo(Action.CREATED);
        StreamConfiguration stream = jsm.getStreamInfo("jetstream-bridge-stream").getConfiguration();
        assertThat(stream.getSubjects())
                .containsExactly("orders.sync.billing", "billing.sync.orders", "orders.sync.dlq");
        assertThat(stream.getRetentionPolicy()).isEqualTo(RetentionPolicy.WorkQueue);
        assertThat(stream.getStorageType()).isEqualTo(StorageType.File);
        assertThat(stream.getDuplicateWindow()).isEqualTo(Duration.ofMinutes(2));
        assertThat(stream.getReplicas()).isEqualTo(1);

        ConsumerConfiguration consumer = jsm.getConsumerInfo("jetstream-bridge-stream", "orders-workers")
                .getConsumerConfiguration();
        assertThat(consumer.getFilterSubject()).isEqualTo("billing.sync.orders");
        assertThat(consumer.getAckPolicy()).isEqualTo(AckPolicy.Explicit);
        // consumer.max-deliver (5, where the client dead-letters) plus the spare deliveries
        assertThat(consumer.getMaxDeliver()).isEqualTo(10);
        assertThat(consumer.getBackoff()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofSeconds(15), Duration.ofSeconds(30));
        assertThat(consumer.getDeliverSubject()).isNull();
    }

    @Test
    void secondRunChangesNothing() throws Exception {
        BridgeConfig config = orders().build();
        new StreamProvisioner(jsm, config).provision();
        StreamInfo before = jsm.getStreamInfo("jetstream-bridge-stream");

        ProvisioningReport second = new StreamProvisioner(jsm, config).provision();

        assertThat(second.changedAnything()).isFalse();
        assertThat(second.streamAction()).isEqualTo(Action.UNCHANGED);
        assertThat(second.primaryConsumer().action()).isEqualTo(Action.UNCHANGED);
        assertThat(second.drifted()).as("drift: %s", second).isFalse();
        StreamInfo after = jsm.getStreamInfo("jetstream-bridge-stream");
        assertThat(after.getConfiguration().toJson()).isEqualTo(before.getConfiguration().toJson());
        assertThat(jsm.getConsumerNames("jetstream-bridge-stream")).containsExactly("orders-workers");
    }

    @Test
    void secondApplicationAddsItsSubjectsAndKeepsTheFirstOnes() throws Exception {
        new StreamProvisioner(jsm, orders().build()).provision();
        BridgeConfig billing = BridgeConfig.builder().appName("billing").destinationApp("orders")
                .natsUrls(NATS.url()).build();

        ProvisioningReport report = new StreamProvisioner(jsm, billing).provision();

        assertThat(report.streamAction()).isEqualTo(Action.UPDATED);
        assertThat(report.addedSubjects()).containsExactly("billing.sync.dlq");
        assertThat(jsm.getStreamInfo("jetstream-bridge-stream").getConfiguration().getSubjects())
                .containsExactlyInAnyOrder("orders.sync.billing", "billing.sync.orders", "orders.sync.dlq",
                        "billing.sync.dlq");
        assertThat(jsm.getConsumerNames("jetstream-bridge-stream"))
                .containsExactlyInAnyOrder("orders-workers", "billing-workers");
    }

    @Test
    void twoApplicationsProvisioningAtTheSameMomentBothSucceed() throws Exception {
        BridgeConfig billing = BridgeConfig.builder().appName("billing").destinationApp("orders")
                .natsUrls(NATS.url()).build();
        for (int round = 0; round < 10; round++) {
            NATS.cleanJetStream();
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
            var first = java.util.concurrent.CompletableFuture.runAsync(() -> provisionAfter(together, orders().build()));
            var second = java.util.concurrent.CompletableFuture.runAsync(() -> provisionAfter(together, billing));

            java.util.concurrent.CompletableFuture.allOf(first, second).get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(jsm.getStreamInfo("jetstream-bridge-stream").getConfiguration().getSubjects())
                    .containsExactlyInAnyOrder("orders.sync.billing", "billing.sync.orders", "orders.sync.dlq",
                            "billing.sync.dlq");
        }
    }

    /**
     * The race of the test above, made certain: billing creates the stream while orders' create is on its way.
     * nats-server 2.9.10 has refused orders' create in that race as "subjects overlap with an existing stream"
     * (10065, seen in CI), not "name in use" (10058), because both name the same subjects; the answer is replayed
     * here as jnats parses it from the server. Orders must then update the stream billing made.
     */
    @Test
    void aStreamCreatedByAnotherWhileOursIsOnItsWayIsUpdated() throws Exception {
        BridgeConfig billing = BridgeConfig.builder().appName("billing").destinationApp("orders")
                .natsUrls(NATS.url()).build();
        java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
        JetStreamManagement racing = (JetStreamManagement) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {JetStreamManagement.class}, (proxy, method, args) -> {
                    if (method.getName().equals("addStream") && first.getAndSet(false)) {
                        new StreamProvisioner(jsm, billing).provision();
                        throw new io.nats.client.JetStreamApiException(new StreamInfo(
                                io.nats.client.support.JsonParser.parse("{\"type\":\"io.nats.jetstream.api.v1."
                                        + "stream_create_response\",\"error\":{\"code\":400,\"err_code\":10065,"
                                        + "\"description\":\"subjects overlap with an existing stream\"}}")));
                    }
                    try {
                        return method.invoke(jsm, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });

        ProvisioningReport report = new StreamProvisioner(racing, orders().build()).provision();

        assertThat(first).isFalse();
        assertThat(report.streamAction()).isEqualTo(Action.UPDATED);
        assertThat(jsm.getStreamInfo("jetstream-bridge-stream").getConfiguration().getSubjects())
                .containsExactlyInAnyOrder("orders.sync.billing", "billing.sync.orders", "orders.sync.dlq",
                        "billing.sync.dlq");
        assertThat(jsm.getConsumerNames("jetstream-bridge-stream"))
                .containsExactlyInAnyOrder("orders-workers", "billing-workers");
    }

    private void provisionAfter(java.util.concurrent.CyclicBarrier together, BridgeConfig config) {
        try {
            together.await(10, java.util.concurrent.TimeUnit.SECONDS);
            new StreamProvisioner(NATS.connect().jetStreamManagement(), config).provision();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void overlappingStreamIsReportedByName() throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("LEGACY").subjects("orders.>")
                .storageType(StorageType.Memory).build());

        assertThatThrownBy(() -> new StreamProvisioner(jsm, orders().build()).provision())
                .isInstanceOf(TopologyException.class)
                .hasMessageContaining("stream 'LEGACY'")
                .hasMessageContaining("'orders.>'")
                .hasMessageContaining("'orders.sync.billing'")
                .hasMessageContaining("'orders.sync.dlq'");
        assertThat(jsm.getStreamNames()).containsExactly("LEGACY");
    }

    @Test
    void existingConsumerWithOtherSettingsIsReportedNotChangedWhenDriftIsOnlyReported() throws Exception {
        new StreamProvisioner(jsm, orders().set(ConfigKey.CONSUMER_BACKOFF, "2s").build()).provision();

        ProvisioningReport report = new StreamProvisioner(jsm, orders().set(ConfigKey.CONSUMER_DRIFT, "report")
                .build()).provision();

        assertThat(report.primaryConsumer().action()).isEqualTo(Action.UNCHANGED);
        assertThat(report.primaryConsumer().drift()).containsExactly("backoff is [2s], configured [1s, 5s, 15s, 30s]");
        assertThat(jsm.getConsumerInfo("jetstream-bridge-stream", "orders-workers")
                .getConsumerConfiguration().getBackoff()).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void consumerWhoseMaxDeliverEqualsTheDeadLetterThresholdIsDrift() throws Exception {
        new StreamProvisioner(jsm, orders().set(ConfigKey.CONSUMER_ENABLED, "false").build()).provision();
        // as earlier versions and the Ruby gem create it: the server gives up where the client dead-letters
        jsm.addOrUpdateConsumer("jetstream-bridge-stream", ConsumerConfiguration.builder(
                new StreamProvisioner(jsm, orders().build()).desiredConsumer(orders().build().topology())).maxDeliver(5).build());

        ProvisioningReport report = new StreamProvisioner(jsm, orders().set(ConfigKey.CONSUMER_DRIFT, "report")
                .build()).provision();

        assertThat(report.primaryConsumer().action()).isEqualTo(Action.UNCHANGED);
        assertThat(report.primaryConsumer().drift()).singleElement().asString()
                .startsWith("max_deliver is 5, configured 10 (consumer.max-deliver 5 plus 5 spare deliveries:")
                .contains("neither processed nor dead-lettered");
        assertThat(jsm.getConsumerInfo("jetstream-bridge-stream", "orders-workers")
                .getConsumerConfiguration().getMaxDeliver()).isEqualTo(5);
    }

    @Test
    void anyMaxDeliverAboveTheDeadLetterThresholdIsNoDrift() throws Exception {
        new StreamProvisioner(jsm, orders().set(ConfigKey.CONSUMER_MAX_DELIVER, "8").build()).provision();

        assertThat(new StreamProvisioner(jsm, orders().build()).provision().primaryConsumer().drift()).isEmpty();
        assertThat(new StreamProvisioner(jsm, orders().set(ConfigKey.CONSUMER_MAX_DELIVER, "13")
                .set(ConfigKey.CONSUMER_DRIFT, "report").build()).provision().primaryConsumer().drift()).containsExactly("max_deliver is 13, configured 18 "
                + "(consumer.max-deliver 13 plus 5 spare deliveries: at 13 the server stops redelivering a message "
                + "whose last delivery was lost, and it stays in the stream neither processed nor dead-lettered)");
    }

    /** The durable as the Ruby gem leaves it (shared/contract/ruby-gem-durable.json): backoff in nanoseconds. */
    private void createRubyGemDurable() throws Exception {
        new StreamProvisioner(jsm, billing().set(ConfigKey.CONSUMER_ENABLED, "false").build()).provision();
        try (InputStream in = getClass().getResourceAsStream("/contract/ruby-gem-durable.json");
             JsonReader reader = Json.createReader(in)) {
            JsonObject contract = reader.readObject();
            jsm.addOrUpdateConsumer(contract.getString("stream"),
                    ConsumerConfiguration.builder().json(contract.getJsonObject("config").toString()).build());
        }
        ConsumerConfiguration made = jsm.getConsumerInfo("jetstream-bridge-stream", "billing-workers")
                .getConsumerConfiguration();
        assertThat(made.getBackoff()).containsExactly(Duration.ofNanos(1), Duration.ofNanos(5), Duration.ofNanos(15),
                Duration.ofNanos(30));
        assertThat(made.getAckWait()).isEqualTo(Duration.ofNanos(1));
    }

    private static BridgeConfig.Builder billing() {
        return BridgeConfig.builder().appName("billing").destinationApp("orders").natsUrls(NATS.url());
    }

    @Test
    void aDurableMadeByTheRubyGemTakesTheConfiguredSettings() throws Exception {
        createRubyGemDurable();

        ProvisioningReport report = new StreamProvisioner(jsm, billing().build()).provision();

        assertThat(report.primaryConsumer().action()).isEqualTo(Action.UPDATED);
        assertThat(report.primaryConsumer().updated()).containsExactly(
                "max_deliver is 5, configured 10 (consumer.max-deliver 5 plus 5 spare deliveries: at 5 the server "
                        + "stops redelivering a message whose last delivery was lost, and it stays in the stream "
                        + "neither processed nor dead-lettered)",
                "backoff is [1ns, 5ns, 15ns, 30ns], configured [1s, 5s, 15s, 30s]");
        assertThat(report.primaryConsumer().drift()).as("left as it is").isEmpty();
        ConsumerConfiguration now = jsm.getConsumerInfo("jetstream-bridge-stream", "billing-workers")
                .getConsumerConfiguration();
        assertThat(now.getBackoff()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofSeconds(15), Duration.ofSeconds(30));
        assertThat(now.getAckWait()).as("the server's ack wait is the first backoff step")
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(now.getMaxDeliver()).isEqualTo(10);
        assertThat(now.getMaxAckPending()).as("kept").isEqualTo(1000);
        assertThat(now.getFilterSubject()).isEqualTo("orders.sync.billing");
        ProvisioningReport again = new StreamProvisioner(jsm, billing().build()).provision();
        assertThat(again.primaryConsumer().action()).isEqualTo(Action.UNCHANGED);
        assertThat(again.drifted()).isFalse();
    }

    @Test
    void aDurableMadeByTheRubyGemIsOnlyReportedWhenDriftIsReport() throws Exception {
        createRubyGemDurable();

        ProvisioningReport report = new StreamProvisioner(jsm, billing().set(ConfigKey.CONSUMER_DRIFT, "report")
                .build()).provision();

        assertThat(report.primaryConsumer().action()).isEqualTo(Action.UNCHANGED);
        assertThat(report.primaryConsumer().updated()).isEmpty();
        assertThat(report.primaryConsumer().drift()).contains("backoff is [1ns, 5ns, 15ns, 30ns], configured [1s, 5s, 15s, 30s]");
        assertThat(jsm.getConsumerInfo("jetstream-bridge-stream", "billing-workers").getConsumerConfiguration()
                .getBackoff()).containsExactly(Duration.ofNanos(1), Duration.ofNanos(5), Duration.ofNanos(15),
                Duration.ofNanos(30));
    }

    /**
     * nats-server 2.9.10 accepts every update the provisioner makes; a server that refuses one (the answer is
     * replayed here as jnats parses it) leaves the consumer running as it is: logged (JSB2011), reported as drift,
     * and not fatal.
     */
    @Test
    void aRefusedUpdateIsLoggedAndStaysReportedAsDrift() throws Exception {
        new StreamProvisioner(jsm, orders().set(ConfigKey.CONSUMER_BACKOFF, "2s").build()).provision();
        JetStreamManagement refusing = (JetStreamManagement) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {JetStreamManagement.class}, (proxy, method, args) -> {
                    if (method.getName().equals("addOrUpdateConsumer")) {
                        throw new io.nats.client.JetStreamApiException(new StreamInfo(
                                io.nats.client.support.JsonParser.parse("{\"type\":\"io.nats.jetstream.api.v1."
                                        + "consumer_create_response\",\"error\":{\"code\":400,\"err_code\":"
                                        + "10012,\"description\":\"consumer already exists\"}}")));
                    }
                    try {
                        return method.invoke(jsm, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                logged.add(record.getLevel() + " " + record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger.getLogger("io.jetstreambridge").addHandler(capture);
        ProvisioningReport report;
        try {
            report = new StreamProvisioner(refusing, orders().build()).provision();
        } finally {
            java.util.logging.Logger.getLogger("io.jetstreambridge").removeHandler(capture);
        }

        assertThat(report.primaryConsumer().action()).isEqualTo(Action.UNCHANGED);
        assertThat(report.primaryConsumer().updated()).isEmpty();
        assertThat(report.primaryConsumer().drift()).containsExactly("backoff is [2s], configured [1s, 5s, 15s, 30s]");
        assertThat(logged).anySatisfy(line -> assertThat(line).startsWith("SEVERE JSB2011: consumer "
                + "'orders-workers'").contains("the server refused to update it in place")
                .contains("consumer already exists").contains("backoff is [2s], configured [1s, 5s, 15s, 30s]"));
        assertThat(jsm.getConsumerInfo("jetstream-bridge-stream", "orders-workers").getConsumerConfiguration()
                .getBackoff()).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void ackWaitAndMaxAckPendingAreUpdatedInPlaceWhileThePushSettingsAreOnlyReported() throws Exception {
        new StreamProvisioner(jsm, orders().set(ConfigKey.CONSUMER_BACKOFF, "none")
                .set(ConfigKey.CONSUMER_ACK_WAIT, "10s").build()).provision();

        ProvisioningReport report = new StreamProvisioner(jsm, orders().set(ConfigKey.CONSUMER_BACKOFF, "none")
                .set(ConfigKey.CONSUMER_ACK_WAIT, "45s").set(ConfigKey.CONSUMER_MAX_ACK_PENDING, "64")
                .set(ConfigKey.CONSUMER_MODE, "push").build()).provision();

        assertThat(report.primaryConsumer().action()).isEqualTo(Action.UPDATED);
        assertThat(report.primaryConsumer().updated()).containsExactly("ack_wait is 10s, configured 45s",
                "max_ack_pending is 1000, configured 64");
        // pull to push cannot change in place: reported, and the update leaves it out
        assertThat(report.primaryConsumer().drift()).containsExactly(
                "deliver_subject is null, configured billing.sync.orders.worker",
                "deliver_group is null, configured orders-workers");
        ConsumerConfiguration now = jsm.getConsumerInfo("jetstream-bridge-stream", "orders-workers")
                .getConsumerConfiguration();
        assertThat(now.getAckWait()).isEqualTo(Duration.ofSeconds(45));
        assertThat(now.getMaxAckPending()).isEqualTo(64);
        assertThat(now.getDeliverSubject()).isNull();
    }

    @Test
    void changedDuplicateWindowIsApplied() throws Exception {
        new StreamProvisioner(jsm, orders().build()).provision();

        ProvisioningReport report = new StreamProvisioner(jsm,
                orders().set(ConfigKey.STREAM_DUPLICATE_WINDOW, "5m").build()).provision();

        assertThat(report.streamAction()).isEqualTo(Action.UPDATED);
        assertThat(jsm.getStreamInfo("jetstream-bridge-stream").getConfiguration().getDuplicateWindow())
                .isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void pushModeConsumerGetsDeliverySubjectAndQueueGroup() throws Exception {
        new StreamProvisioner(jsm, orders().set(ConfigKey.CONSUMER_MODE, "push").build()).provision();

        ConsumerConfiguration consumer = jsm.getConsumerInfo("jetstream-bridge-stream", "orders-workers")
                .getConsumerConfiguration();
        assertThat(consumer.getDeliverSubject()).isEqualTo("billing.sync.orders.worker");
        assertThat(consumer.getDeliverGroup()).isEqualTo("orders-workers");
        assertThat(consumer.getMaxAckPending()).as("4 per worker of one instance").isEqualTo(4);
    }

    @Test
    void consumerDisabledProvisionsOnlyTheStream() throws Exception {
        ProvisioningReport report = new StreamProvisioner(jsm,
                orders().set(ConfigKey.CONSUMER_ENABLED, "false").set(ConfigKey.DLQ_ENABLED, "false").build())
                .provision();

        assertThat(report.primaryConsumer().action()).isEqualTo(Action.SKIPPED);
        assertThat(jsm.getConsumerNames("jetstream-bridge-stream")).isEmpty();
        assertThat(jsm.getStreamInfo("jetstream-bridge-stream").getConfiguration().getSubjects())
                .isEqualTo(List.of("orders.sync.billing", "billing.sync.orders"));
    }
}
