package io.jetstreambridge.core.consume;

import static io.jetstreambridge.core.consume.ConsumerTestKit.STREAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.consume.JetstreamEvent;
import io.jetstreambridge.consume.UnrecoverableEventException;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.PublishException;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.core.publish.DirectPublisher;
import io.jetstreambridge.core.topology.ProvisioningReport;
import io.jetstreambridge.core.topology.StreamProvisioner;
import io.jetstreambridge.core.topology.TopologyException;
import io.jetstreambridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The permission lists of {@code docs/restricted-permissions.md}, proven against a real server: an administrator
 * provisions the stream and the consumer, the application user (app {@code orders}, destination {@code billing})
 * consumes, acks, dead-letters and publishes its own events with exactly the listed permissions and no
 * permission violation; each list without one of its entries breaks in the way the document says.
 */
class RestrictedPermissionsTest {

    private static final String ACKS = "$JS.ACK.jetstream-bridge-stream.orders-workers.>";
    private static final String MSG_NEXT = "$JS.API.CONSUMER.MSG.NEXT.jetstream-bridge-stream.orders-workers";
    private static final String CONSUMER_INFO = "$JS.API.CONSUMER.INFO.jetstream-bridge-stream.orders-workers";
    private static final String DELIVER_IN_GROUP = "billing.sync.orders.worker orders-workers";

    /** Pull mode, as documented. */
    static final List<String> PULL_PUBLISH = List.of("orders.sync.billing", "orders.sync.dlq", ACKS, MSG_NEXT,
            CONSUMER_INFO);
    static final List<String> PULL_SUBSCRIBE = List.of("_INBOX.>");
    /** Push mode, as documented: no {@code $JS.API} subject at all. */
    static final List<String> PUSH_PUBLISH = List.of("orders.sync.billing", "orders.sync.dlq", ACKS);
    static final List<String> PUSH_SUBSCRIBE = List.of("_INBOX.>", DELIVER_IN_GROUP);
    /** Push mode with a consumer an administrator gave flow control: its answers go to these subjects. */
    private static final String FLOW_CONTROL = "$JS.FC.jetstream-bridge-stream.orders-workers.>";
    /** Provisioning (auto-provision on, or an administrator running the provisioner), as documented. */
    private static final String CONSUMER_CREATE =
            "$JS.API.CONSUMER.CREATE.jetstream-bridge-stream.orders-workers.billing.sync.orders";
    static final List<String> PROVISION_PUBLISH = List.of("$JS.API.STREAM.INFO.jetstream-bridge-stream",
            "$JS.API.STREAM.CREATE.jetstream-bridge-stream", "$JS.API.STREAM.UPDATE.jetstream-bridge-stream",
            "$JS.API.STREAM.LIST", CONSUMER_INFO, CONSUMER_CREATE);
    static final List<String> PROVISION_SUBSCRIBE = List.of("_INBOX.>");

    private static final String PASSWORD = "app-secret";

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create(server -> server
            .credentials("admin", "admin-secret")
            .extraConfig("authorization {\n  users = [\n"
                    + "    { user: admin, password: admin-secret }\n"
                    + user("pull", PULL_PUBLISH, PULL_SUBSCRIBE)
                    + user("pull-own-inbox", PULL_PUBLISH, List.of("_INBOX_orders.>"))
                    + user("pull-no-next", without(PULL_PUBLISH, MSG_NEXT), PULL_SUBSCRIBE)
                    + user("pull-no-info", without(PULL_PUBLISH, CONSUMER_INFO), PULL_SUBSCRIBE)
                    + user("pull-no-inbox", PULL_PUBLISH, List.of())
                    + user("push", PUSH_PUBLISH, PUSH_SUBSCRIBE)
                    + user("push-no-deliver", PUSH_PUBLISH, without(PUSH_SUBSCRIBE, DELIVER_IN_GROUP))
                    + user("push-no-ack", without(PUSH_PUBLISH, ACKS), PUSH_SUBSCRIBE)
                    + user("push-flow-control", with(PUSH_PUBLISH, FLOW_CONTROL), PUSH_SUBSCRIBE)
                    + user("provisioner", PROVISION_PUBLISH, PROVISION_SUBSCRIBE)
                    + user("provisioner-no-create", without(PROVISION_PUBLISH, CONSUMER_CREATE),
                            PROVISION_SUBSCRIBE)
                    + "  ]\n}\n"));

    private final List<Connection> connections = new ArrayList<>();
    private final List<AutoCloseable> engines = new ArrayList<>();
    private final Queue<JetstreamEvent> received = new ConcurrentLinkedQueue<>();
    /** Asynchronous errors the server sent to the application's connection. */
    private final Queue<String> errors = new ConcurrentLinkedQueue<>();
    private JetStreamManagement admin;
    private DirectPublisher billing;

    private static String user(String name, List<String> publish, List<String> subscribe) {
        return "    { user: \"" + name + "\", password: " + PASSWORD + ", permissions: { publish: "
                + allowOnly(publish) + ", subscribe: " + allowOnly(subscribe) + " } }\n";
    }

    /** An empty allow list would allow everything: nothing allowed is written as a deny of all. */
    private static String allowOnly(List<String> subjects) {
        return subjects.isEmpty() ? "{ deny: [\">\"] }" : "{ allow: " + quoted(subjects) + " }";
    }

    private static String quoted(List<String> subjects) {
        return subjects.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(", ", "[", "]"));
    }

    private static List<String> with(List<String> subjects, String added) {
        return Stream.concat(subjects.stream(), Stream.of(added)).toList();
    }

    private static List<String> without(List<String> subjects, String removed) {
        return subjects.stream().filter(s -> !s.equals(removed)).toList();
    }

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        admin = NATS.connect().jetStreamManagement();
        // the other application, publishing to this one (as admin: its permissions are not under test)
        billing = TestEngines.publisher(NATS.connect(), BridgeConfig.builder().appName("billing")
                .destinationApp("orders").natsUrls(NATS.url()).set(ConfigKey.CONSUMER_ENABLED, "false").build());
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable engine : engines) {
            engine.close();
        }
        for (Connection connection : connections) {
            connection.close();
        }
    }

    /**
     * No backoff and a long ack_wait: with a backoff list the server takes its first step as ack_wait, and a
     * message waiting behind a slower one (a dead-letter publish) would be redelivered meanwhile.
     */
    private static BridgeConfig orders(String mode, Map<ConfigKey, String> overrides) {
        BridgeConfig.Builder builder = BridgeConfig.builder().appName("orders").destinationApp("billing")
                .natsUrls(NATS.url())
                .set(ConfigKey.AUTO_PROVISION, "false")
                .set(ConfigKey.CONSUMER_MODE, mode)
                .set(ConfigKey.CONSUMER_MAX_DELIVER, "3").set(ConfigKey.CONSUMER_BACKOFF, "none")
                .set(ConfigKey.CONSUMER_ACK_WAIT, "30s")
                .set(ConfigKey.CONSUMER_FETCH_TIMEOUT, "200ms").set(ConfigKey.CONSUMER_CONCURRENCY, "2")
                .set(ConfigKey.PUBLISH_ACK_TIMEOUT, "500ms").set(ConfigKey.PUBLISH_MAX_ATTEMPTS, "1");
        overrides.forEach(builder::set);
        return builder.build();
    }

    private static BridgeConfig orders(String mode) {
        return orders(mode, Map.of());
    }

    /** What the administrator does before the restricted application starts. */
    private BridgeConfig adminProvisions(String mode) {
        return adminProvisions(orders(mode));
    }

    private BridgeConfig adminProvisions(BridgeConfig config) {
        new StreamProvisioner(admin, config).provision();
        return config;
    }

    private Connection connectAs(String user, Consumer<Options.Builder> more) throws Exception {
        Options.Builder options = NATS.server().connectionOptions()
                .userInfo(user, PASSWORD)
                .connectionName("orders-" + user)
                .connectionTimeout(Duration.ofSeconds(5))
                .errorListener(new ErrorListener() {
                    @Override
                    public void errorOccurred(Connection conn, String error) {
                        errors.add(error);
                    }
                });
        more.accept(options);
        Connection connection = Nats.connect(options.build());
        connections.add(connection);
        return connection;
    }

    private Connection connectAs(String user) throws Exception {
        return connectAs(user, options -> { });
    }

    private void startEngine(BridgeConfig config, Connection app, DeliveryHandler handler) {
        MessageProcessor processor = ConsumerTestKit.processor(config, app, event -> {
            received.add(event);
            handler.handle(event);
        });
        AutoCloseable engine = ConsumerTestKit.engine(config, app, processor)
                .drainTimeout(Duration.ofSeconds(2))
                .build().start();
        engines.add(engine);
    }

    private List<PublishResult> billingPublishes(int count) {
        return Stream.iterate(0, i -> i + 1).limit(count)
                .map(i -> billing.publish(OutgoingEvent.of("invoice.created", Map.of("id", i)))).toList();
    }

    private List<String> violations() {
        return errors.stream().filter(e -> e.contains("Permissions Violation")).toList();
    }

    private long violationsOf(String what) {
        return violations().stream().filter(e -> e.contains(what)).count();
    }

    /**
     * The whole life of a restricted application: it consumes (ack), dead-letters one event, and publishes its
     * own event with {@code Nats-Msg-Id}, receiving JetStream's ack on its inbox; a second publish with the same
     * id is recognised as a duplicate, which proves the header reached the stream. No violation is reported.
     */
    private void restrictedApplicationWorks(String mode, String user, Consumer<Options.Builder> options)
            throws Exception {
        BridgeConfig config = adminProvisions(mode);
        Connection app = connectAs(user, options);
        startEngine(config, app, event -> {
            if (event.payload().asJsonObject().getInt("id") == 2) {
                throw new UnrecoverableEventException("no such customer");
            }
        });

        billingPublishes(5);
        DirectPublisher orders = TestEngines.publisher(app, config);
        OutgoingEvent own = OutgoingEvent.builder("order.created", Map.of("id", 7)).eventId("order-7").build();
        PublishResult published = orders.publish(own);
        PublishResult again = orders.publish(own);

        assertThat(published.outcome()).isEqualTo(PublishResult.Outcome.PUBLISHED);
        assertThat(published.subject()).isEqualTo("orders.sync.billing");
        assertThat(again.outcome()).isEqualTo(PublishResult.Outcome.DUPLICATE);
        assertThat(again.sequence()).isEqualTo(published.sequence());
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 5
                && ConsumerTestKit.unfinished(admin) == 0 && ConsumerTestKit.storedOn(admin, "orders.sync.dlq") == 1);
        assertThat(received).hasSize(5).allSatisfy(e -> assertThat(e.deliveryCount()).isEqualTo(1));
        assertThat(admin.getLastMessage(STREAM, "orders.sync.dlq").getHeaders().getFirst("x-dlq-reason"))
                .isEqualTo("unrecoverable");
        assertThat(ConsumerTestKit.storedOn(admin, "billing.sync.orders")).as("acked work-queue messages").isZero();
        assertThat(ConsumerTestKit.storedOn(admin, "orders.sync.billing")).as("own events").isEqualTo(1);
        assertThat(errors).as("asynchronous errors of the restricted connection").isEmpty();
    }

    @Test
    void pullModeWorksWithExactlyTheDocumentedPermissions() throws Exception {
        restrictedApplicationWorks("pull", "pull", options -> { });
    }

    @Test
    void pullModeWorksWithAnOwnInboxPrefixInsteadOfTheSharedInbox() throws Exception {
        restrictedApplicationWorks("pull", "pull-own-inbox", options -> options.inboxPrefix("_INBOX_orders"));
    }

    @Test
    void pushModeWorksWithExactlyTheDocumentedPermissionsAndNoJetStreamApi() throws Exception {
        assertThat(PUSH_PUBLISH).noneMatch(s -> s.startsWith("$JS.API"));
        restrictedApplicationWorks("push", "push", options -> { });
    }

    @Test
    void pullWithoutMsgNextGetsNoMessages() throws Exception {
        BridgeConfig config = adminProvisions("pull");
        startEngine(config, connectAs("pull-no-next"), event -> { });
        billingPublishes(1);

        // several fetch rounds, each refused
        await().atMost(Duration.ofSeconds(20)).until(() -> violationsOf("Publish to \"" + MSG_NEXT + "\"") >= 3);
        assertThat(received).isEmpty();
        assertThat(ConsumerTestKit.consumer(admin).getNumPending()).isEqualTo(1);
    }

    @Test
    void pullWithoutConsumerInfoCannotBindBecauseJnatsLooksTheConsumerUp() throws Exception {
        BridgeConfig config = adminProvisions("pull");
        Connection app = connectAs("pull-no-info");
        MessageProcessor processor = ConsumerTestKit.processor(config, app, received::add);
        PullConsumerEngine engine = ConsumerTestKit.engine(config, app, processor)
                .drainTimeout(Duration.ofSeconds(2))
                .buildPull().start();
        engines.add(engine);
        billingPublishes(1);

        await().atMost(Duration.ofSeconds(20)).until(() -> engine.state() == ConsumerEngine.State.RECOVERING);
        assertThat(violationsOf("Publish to \"" + CONSUMER_INFO + "\"")).isPositive();
        assertThat(engine.lastError()).isPresent();
        assertThat(engine.lastActivity()).isEmpty();
        assertThat(received).isEmpty();
        assertThat(ConsumerTestKit.consumer(admin).getNumPending()).isEqualTo(1);
    }

    @Test
    void withoutTheInboxThePublishIsStoredButNeverConfirmedAndPullGetsNothing() throws Exception {
        BridgeConfig config = adminProvisions("pull");
        Connection app = connectAs("pull-no-inbox");
        startEngine(config, app, event -> { });
        billingPublishes(1);

        assertThatThrownBy(() -> TestEngines.publisher(app, config)
                .publish(OutgoingEvent.builder("order.created", Map.of("id", 8)).eventId("order-8").build()))
                .isInstanceOf(PublishException.class);
        assertThat(violationsOf("Subscription to \"_INBOX.")).isPositive();
        // the server stored it: the application cannot tell, and would publish again (deduplicated by the id)
        assertThat(ConsumerTestKit.storedOn(admin, "orders.sync.billing")).isEqualTo(1);
        assertThat(received).isEmpty();
    }

    @Test
    void pushWithoutTheDeliverSubjectGetsNoMessages() throws Exception {
        BridgeConfig config = adminProvisions("push");
        startEngine(config, connectAs("push-no-deliver"), event -> { });
        billingPublishes(1);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> violationsOf("Subscription to \"billing.sync.orders.worker\"") >= 2);
        assertThat(received).isEmpty();
        assertThat(ConsumerTestKit.consumer(admin).getNumPending()).isEqualTo(1);
    }

    @Test
    void pushUserMaySubscribeOnlyInTheQueueGroup() throws Exception {
        adminProvisions("push");
        Connection app = connectAs("push");

        app.subscribe("billing.sync.orders.worker");
        app.subscribe("billing.sync.orders.worker", "someone-else");
        app.subscribe("billing.sync.orders");

        await().atMost(Duration.ofSeconds(20)).until(() -> violations().size() == 3);
        assertThat(violations()).allMatch(v -> v.contains("Permissions Violation for Subscription to"));
        assertThat(violations()).anyMatch(v -> v.contains("\"billing.sync.orders.worker\" using queue "
                + "\"someone-else\""));
    }

    @Test
    void pushWithoutAckPermissionHandlesEachMessageAgainAndAgain() throws Exception {
        BridgeConfig config = adminProvisions(orders("push", Map.of(ConfigKey.CONSUMER_ACK_WAIT, "300ms")));
        startEngine(config, connectAs("push-no-ack"), event -> { });
        billingPublishes(1);

        await().atMost(Duration.ofSeconds(20)).until(() -> received.stream()
                .anyMatch(e -> e.deliveryCount() == 3));
        assertThat(violationsOf("Publish to \"$JS.ACK.jetstream-bridge-stream.orders-workers.")).isPositive();
        assertThat(received).extracting(JetstreamEvent::eventId).containsOnly(received.peek().eventId());
        // handled three times and still in the work queue: the acks never reached the server
        assertThat(ConsumerTestKit.storedOn(admin, "billing.sync.orders")).isEqualTo(1);
    }

    /** An administrator's push consumer with flow control and idle heartbeats; the bridge creates neither. */
    private BridgeConfig adminProvisionsWithFlowControl() throws Exception {
        BridgeConfig config = adminProvisions("push");
        admin.deleteConsumer(STREAM, ConsumerTestKit.DURABLE);
        admin.addOrUpdateConsumer(STREAM, ConsumerConfiguration.builder().durable(ConsumerTestKit.DURABLE)
                .filterSubject("billing.sync.orders").ackPolicy(AckPolicy.Explicit).maxDeliver(3)
                .ackWait(Duration.ofSeconds(30)).deliverSubject("billing.sync.orders.worker")
                .deliverGroup("orders-workers").flowControl(Duration.ofMillis(300)).build());
        return config;
    }

    private void billingPublishesLarge(int count) {
        String blob = "x".repeat(32 * 1024);
        assertThat(billing.publishAll(Stream.iterate(0, i -> i + 1).limit(count)
                .map(i -> OutgoingEvent.of("invoice.created", Map.of("id", i, "blob", blob))).toList()))
                .allMatch(PublishResult::accepted);
    }

    @Test
    void pushWithFlowControlNeedsTheFlowControlSubjectToo() throws Exception {
        BridgeConfig config = adminProvisionsWithFlowControl();
        startEngine(config, connectAs("push-flow-control"), event -> { });

        billingPublishesLarge(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 200
                && ConsumerTestKit.unfinished(admin) == 0);
        assertThat(received).hasSize(200);
        assertThat(errors).isEmpty();
    }

    @Test
    void pushWithFlowControlButWithoutItsSubjectStalls() throws Exception {
        BridgeConfig config = adminProvisionsWithFlowControl();
        startEngine(config, connectAs("push"), event -> { });

        billingPublishesLarge(200);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> violationsOf("Publish to \"$JS.FC.jetstream-bridge-stream.orders-workers.") > 0);
        // the server waits for the answer that never comes
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> received.size() < 200);
        assertThat(ConsumerTestKit.unfinished(admin)).isPositive();
    }

    @Test
    void provisioningNeedsOnlyTheDocumentedAdministratorPermissions() throws Exception {
        JetStreamManagement provisioner = connectAs("provisioner").jetStreamManagement();

        // first without the DLQ subject, then with it: create, then update the stream
        ProvisioningReport created = new StreamProvisioner(provisioner,
                orders("push", Map.of(ConfigKey.DLQ_ENABLED, "false"))).provision();
        ProvisioningReport updated = new StreamProvisioner(provisioner, orders("push")).provision();

        assertThat(created.streamAction()).isEqualTo(ProvisioningReport.Action.CREATED);
        assertThat(created.primaryConsumer().action()).isEqualTo(ProvisioningReport.Action.CREATED);
        assertThat(updated.streamAction()).isEqualTo(ProvisioningReport.Action.UPDATED);
        assertThat(updated.addedSubjects()).containsExactly("orders.sync.dlq");
        assertThat(updated.primaryConsumer().action()).isEqualTo(ProvisioningReport.Action.UNCHANGED);
        assertThat(updated.primaryConsumer().drift()).isEmpty();
        assertThat(errors).isEmpty();
        var consumer = ConsumerTestKit.consumer(admin).getConsumerConfiguration();
        assertThat(consumer.getDeliverSubject()).isEqualTo("billing.sync.orders.worker");
        assertThat(consumer.getDeliverGroup()).isEqualTo("orders-workers");
        assertThat(consumer.getFilterSubject()).isEqualTo("billing.sync.orders");
        assertThat(admin.getStreamInfo(STREAM).getConfiguration().getSubjects())
                .containsExactly("orders.sync.billing", "billing.sync.orders", "orders.sync.dlq");
    }

    @Test
    void provisioningWithoutConsumerCreateNamesTheMissingPermission() throws Exception {
        JetStreamManagement provisioner = connectAs("provisioner-no-create").jetStreamManagement();

        assertThatThrownBy(() -> new StreamProvisioner(provisioner, orders("pull")).provision())
                .isInstanceOf(TopologyException.class)
                .hasMessageContaining("jetstream.bridge.auto-provision=false");
        assertThat(violationsOf("Publish to \"" + CONSUMER_CREATE + "\"")).isPositive();
        assertThat(admin.getStreamNames()).containsExactly(STREAM);
        assertThat(admin.getConsumerNames(STREAM)).isEmpty();
    }

    @Test
    void theDocumentShowsExactlyTheseLists() throws Exception {
        String doc = Files.readString(document(), StandardCharsets.UTF_8);

        assertThat(documentedLists(doc, "## Pull mode")).containsExactly(PULL_PUBLISH, PULL_SUBSCRIBE);
        assertThat(documentedLists(doc, "## Push mode")).containsExactly(PUSH_PUBLISH, PUSH_SUBSCRIBE);
        assertThat(documentedLists(doc, "## Provisioning (administrator)"))
                .containsExactly(PROVISION_PUBLISH, PROVISION_SUBSCRIBE);
        assertThat(doc).contains("jetstream.bridge.auto-provision=false", "publish `" + FLOW_CONTROL + "`");
    }

    /** {@code docs/restricted-permissions.md}, found like {@code docs/configuration.md} in bridge-api's tests. */
    private static Path document() {
        String dir = System.getProperty("jsb.docs.dir");
        Path path = dir == null || dir.isBlank() ? Path.of("..", "docs") : Path.of(dir);
        Path file = path.resolve("restricted-permissions.md");
        assertThat(file).as("the permissions document").isRegularFile();
        return file;
    }

    /** The publish and subscribe allow lists of the first configuration block after a heading. */
    private static List<List<String>> documentedLists(String doc, String heading) {
        int at = doc.indexOf("\n" + heading + "\n");
        assertThat(at).as("heading %s", heading).isNotNegative();
        int start = doc.indexOf("```hocon", at);
        String block = doc.substring(start, doc.indexOf("```", start + 3));
        return List.of(allowList(block, "publish"), allowList(block, "subscribe"));
    }

    private static List<String> allowList(String block, String direction) {
        Matcher list = Pattern.compile(direction + ": \\{ allow: \\[(.*?)\\] \\}", Pattern.DOTALL).matcher(block);
        assertThat(list.find()).as("%s allow list in%n%s", direction, block).isTrue();
        List<String> subjects = new ArrayList<>();
        Matcher quoted = Pattern.compile("\"([^\"]+)\"").matcher(list.group(1));
        while (quoted.find()) {
            subjects.add(quoted.group(1));
        }
        return subjects;
    }
}
