package io.jetstreambridge.core.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.core.telemetry.BridgeTelemetry;
import io.jetstreambridge.core.topology.StreamProvisioner;
import io.jetstreambridge.testing.BillingApp;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.ServerGivesUp;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import jakarta.json.spi.JsonProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The permissions docs/restricted-permissions.md lists for the max-deliveries watch, proven against a real server:
 * the pull-mode application user plus those entries moves a message the server gave up on, with no permission
 * violation; without {@code MSG.DELETE} the copy is stored and the message stays, as documented.
 */
class MaxDeliveriesWatchPermissionsTest {

    private static final String ADVISORY =
            "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.jetstream-bridge-stream.orders-workers";
    private static final String MSG_GET = "$JS.API.STREAM.MSG.GET.jetstream-bridge-stream";
    private static final String MSG_DELETE = "$JS.API.STREAM.MSG.DELETE.jetstream-bridge-stream";
    private static final List<String> WATCH_PUBLISH = Stream.concat(
            RestrictedPermissionsTest.PULL_PUBLISH.stream(), Stream.of(MSG_GET, MSG_DELETE)).toList();
    private static final List<String> WATCH_SUBSCRIBE = List.of("_INBOX.>", ADVISORY);
    private static final String PASSWORD = "app-secret";

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create(server -> server
            .credentials("admin", "admin-secret")
            .extraConfig("authorization {\n  users = [\n"
                    + "    { user: admin, password: admin-secret }\n"
                    + user("watch", WATCH_PUBLISH, WATCH_SUBSCRIBE)
                    + user("watch-no-delete", WATCH_PUBLISH.stream().filter(s -> !s.equals(MSG_DELETE)).toList(),
                            WATCH_SUBSCRIBE)
                    + "  ]\n}\n"));

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final Queue<String> errors = new ConcurrentLinkedQueue<>();
    private BridgeConfig orders;
    private Connection adminConnection;
    private JetStreamManagement admin;

    private static String user(String name, List<String> publish, List<String> subscribe) {
        return "    { user: \"" + name + "\", password: " + PASSWORD + ", permissions: { publish: { allow: "
                + quoted(publish) + " }, subscribe: { allow: " + quoted(subscribe) + " } } }\n";
    }

    private static String quoted(List<String> subjects) {
        return subjects.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(", ", "[", "]"));
    }

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        adminConnection = NATS.connect();
        admin = adminConnection.jetStreamManagement();
        orders = BridgeConfig.builder().appName("orders").destinationApp("billing").natsUrls(NATS.url())
                .set(ConfigKey.AUTO_PROVISION, "false").set(ConfigKey.CONSUMER_MAX_DELIVERIES_WATCH, "true")
                .set(ConfigKey.CONSUMER_MAX_DELIVER, "1").set(ConfigKey.CONSUMER_BACKOFF, "none").build();
        new StreamProvisioner(admin, orders).provision();
        BillingApp.publisher(adminConnection, NATS.url())
                .publish(OutgoingEvent.builder("order.created", Map.of("id", 1)).build());
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        adminConnection.close();
    }

    private void watchAs(String user) throws Exception {
        Connection app = Nats.connect(NATS.server().connectionOptions().userInfo(user, PASSWORD)
                .errorListener(new ErrorListener() {
                    @Override
                    public void errorOccurred(Connection conn, String error) {
                        errors.add(error);
                    }
                }).build());
        JsonProvider json = JsonProvider.provider();
        MaxDeliveriesWatch watch = new MaxDeliveriesWatch(app, orders.topology(),
                new DeadLetterPublisher(app.jetStream(), orders.topology(), json, Clock.systemUTC()),
                new EnvelopeCodec(json), json, BridgeTelemetry.NONE);
        closing.add(app);
        closing.add(0, watch.start());
    }

    private void exhaust() throws Exception {
        ServerGivesUp.nakUntilTheServerGivesUp(adminConnection, ConsumerTestKit.STREAM, ConsumerTestKit.DURABLE,
                "billing.sync.orders");
    }

    @Test
    void theDocumentedPermissionsAreEnough() throws Exception {
        watchAs("watch");
        exhaust();

        await().atMost(Duration.ofSeconds(10)).until(() -> ConsumerTestKit.storedOn(admin, "orders.sync.dlq") == 1
                && ConsumerTestKit.storedOn(admin, "billing.sync.orders") == 0);
        assertThat(errors).as("asynchronous errors of the restricted connection").isEmpty();
    }

    @Test
    void withoutMsgDeleteTheCopyIsStoredAndTheMessageStays() throws Exception {
        watchAs("watch-no-delete");
        exhaust();

        await().atMost(Duration.ofSeconds(15)).until(() -> ConsumerTestKit.storedOn(admin, "orders.sync.dlq") == 1
                && errors.stream().anyMatch(e -> e.contains("Permissions Violation") && e.contains(MSG_DELETE)));
        assertThat(ConsumerTestKit.storedOn(admin, "billing.sync.orders")).isEqualTo(1);
    }
}
