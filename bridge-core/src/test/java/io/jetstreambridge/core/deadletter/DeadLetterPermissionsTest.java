package io.jetstreambridge.core.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.core.consume.DeadLetterPublisher;
import io.jetstreambridge.core.consume.DeadLetterReason;
import io.jetstreambridge.core.topology.StreamProvisioner;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.topology.Topology;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Nats;
import io.nats.client.impl.NatsMessage;
import jakarta.json.spi.JsonProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * The permission list of {@code docs/dead-letters.md}, proven against a real server: an operator with exactly those
 * permissions lists, inspects, replays and purges without a permission violation; a read-only one lists and
 * inspects but cannot replay or purge.
 */
class DeadLetterPermissionsTest {

    static final List<String> READ = List.of("$JS.API.STREAM.INFO.jetstream-bridge-stream",
            "$JS.API.STREAM.MSG.GET.jetstream-bridge-stream");
    static final List<String> OPERATE = List.of("$JS.API.STREAM.INFO.jetstream-bridge-stream",
            "$JS.API.STREAM.MSG.GET.jetstream-bridge-stream", "$JS.API.STREAM.MSG.DELETE.jetstream-bridge-stream",
            "$JS.API.STREAM.PURGE.jetstream-bridge-stream", "billing.sync.orders", "orders.sync.dlq");

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create(server -> server
            .credentials("admin", "admin-secret")
            .extraConfig("authorization {\n  users = [\n"
                    + "    { user: admin, password: admin-secret }\n"
                    + user("dlq-operator", OPERATE)
                    + user("dlq-reader", READ)
                    + "  ]\n}\n"));

    private final List<Connection> connections = new ArrayList<>();
    private final Queue<String> errors = new ConcurrentLinkedQueue<>();
    private Topology topology;
    private JetStreamManagement admin;

    private static String user(String name, List<String> publish) {
        return "    { user: \"" + name + "\", password: secret, permissions: { publish: { allow: "
                + publish.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(", ", "[", "]"))
                + " }, subscribe: { allow: [\"_INBOX.>\"] } } }\n";
    }

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        BridgeConfig config = BridgeConfig.builder().appName("orders").destinationApp("billing")
                .natsUrls(NATS.url()).set(ConfigKey.CONSUMER_ENABLED, "false").build();
        topology = config.topology();
        Connection adminConnection = NATS.connect();
        connections.add(adminConnection);
        admin = adminConnection.jetStreamManagement();
        new StreamProvisioner(admin, config).provision();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Connection connection : connections) {
            connection.close();
        }
    }

    private long deadLetter(String eventId) throws Exception {
        NatsMessage original = NatsMessage.builder().subject(topology.consumeSubject())
                .data(("{\"event_id\":\"" + eventId + "\"}").getBytes(StandardCharsets.UTF_8)).build();
        new DeadLetterPublisher(admin.jetStream(), topology, JsonProvider.provider(), Clock.systemUTC())
                .publish(original, eventId, DeadLetterReason.MALFORMED_JSON, null, 1, 1);
        return admin.getLastMessage(topology.stream(), topology.dlqSubject()).getSeq();
    }

    private DeadLetterQueue queueAs(String user) throws Exception {
        Connection connection = Nats.connect(NATS.server().connectionOptions().userInfo(user, "secret")
                .errorListener(new ErrorListener() {
                    @Override
                    public void errorOccurred(Connection conn, String error) {
                        errors.add(error);
                    }
                }).build());
        connections.add(connection);
        return new DeadLetterQueue(connection.jetStreamManagement(
                JetStreamOptions.builder().requestTimeout(Duration.ofMillis(500)).build()), topology,
                JsonProvider.provider(), Clock.systemUTC());
    }

    @Test
    void anOperatorWithTheDocumentedPermissionsDoesEverything() throws Exception {
        long a = deadLetter("a");
        long b = deadLetter("b");
        deadLetter("c");
        deadLetter("d");
        DeadLetterQueue queue = queueAs("dlq-operator");

        assertThat(queue.count()).isEqualTo(4);
        assertThat(queue.list(1, 10).entries()).extracting(DeadLetter::eventId)
                .containsExactly("a", "b", "c", "d");
        assertThat(queue.inspect(a)).isPresent();
        ReplayResult replay = queue.replay(a);
        assertThat(admin.getMessage(topology.stream(), replay.streamSequence()).getSubject())
                .isEqualTo("billing.sync.orders");
        assertThat(queue.purge(b)).isTrue();
        BulkReplay bulk = queue.replayMatching(DeadLetterFilter.ALL, 1, 0, 1);
        assertThat(bulk.replayed()).extracting(ReplayResult::eventId).containsExactly("c");
        assertThat(bulk.failed()).isEmpty();
        assertThat(queue.purgeReplayed()).isEqualTo(2);
        assertThat(queue.purgeAll()).isEqualTo(1);
        assertThat(queue.count()).isZero();
        assertThat(errors).isEmpty();
    }

    @Test
    void aReaderListsAndInspectsButCannotReplayOrPurge() throws Exception {
        long a = deadLetter("a");
        DeadLetterQueue queue = queueAs("dlq-reader");

        assertThat(queue.list(1, 10).entries()).extracting(DeadLetter::eventId).containsExactly("a");
        assertThat(queue.inspect(a)).isPresent();
        assertThatThrownBy(() -> queue.replay(a)).isInstanceOf(DeadLetterException.class)
                .hasMessageContaining("cannot replay dead letter " + a + " to billing.sync.orders");
        assertThatThrownBy(() -> queue.purge(a)).isInstanceOf(DeadLetterException.class)
                .hasMessageContaining("cannot delete dead letter " + a);
        assertThat(queue.count()).isEqualTo(1);
        assertThat(admin.getStreamInfo(topology.stream()).getStreamState().getMsgCount()).isEqualTo(1);
    }
}
