package io.jetstreambridge.cdi.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetstreambridge.config.AdminSettings;
import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.consume.UnrecoverableEventException;
import io.jetstreambridge.core.connection.NatsConnector;
import io.jetstreambridge.core.consume.DeadLetterPublisher;
import io.jetstreambridge.core.consume.DeadLetterReason;
import io.jetstreambridge.core.deadletter.DeadLetterQueue;
import io.jetstreambridge.core.topology.StreamProvisioner;
import io.jetstreambridge.testing.JaxRsServer;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.topology.Topology;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import jakarta.annotation.security.RolesAllowed;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.StringReader;
import java.lang.reflect.Method;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * The dead-letter admin resource over real HTTP in a real JAX-RS runtime, on a real nats-server: off by default,
 * 401 without a caller, 403 without the role, and the whole list / inspect / replay / purge routine with it.
 */
class DeadLetterResourceTest {

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private static final Map<String, Set<String>> USERS = Map.of(
            "admin", Set.of(AdminSettings.ROLE), "viewer", Set.of("orders-viewer"));
    private static final String DLQ = "jetstream-bridge/admin/dead-letters";

    private Connection connection;
    private JetStreamManagement jsm;
    private Topology topology;
    private DeadLetterQueue queue;
    private JaxRsServer http;

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        BridgeConfig config = BridgeConfig.builder().appName("orders").destinationApp("billing")
                .natsUrls(NATS.url()).set(ConfigKey.CONSUMER_ENABLED, "false").build();
        connection = new NatsConnector(config.nats(), null).connect();
        jsm = connection.jetStreamManagement();
        new StreamProvisioner(jsm, config).provision();
        topology = config.topology();
        queue = DeadLetterQueue.of(connection, topology);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (http != null) {
            http.close();
        }
        connection.close();
    }

    private void serve(boolean enabled, boolean enforceRolesAllowed) {
        http = JaxRsServer.start(USERS, enforceRolesAllowed,
                new DeadLetterResource(queue, new AdminAccess(new AdminSettings(enabled))));
    }

    private long deadLetter(String eventId) throws Exception {
        byte[] body = ("{\"event_id\":\"" + eventId + "\",\"event_type\":\"invoice.created\","
                + "\"payload\":{\"id\":\"INV-1\"}}").getBytes(StandardCharsets.UTF_8);
        NatsMessage original = NatsMessage.builder().subject(topology.consumeSubject())
                .headers(new Headers().add("Nats-Msg-Id", eventId)).data(body).build();
        new DeadLetterPublisher(connection.jetStream(), topology, JsonProvider.provider(), Clock.systemUTC())
                .publish(original, eventId, DeadLetterReason.UNRECOVERABLE,
                        new UnrecoverableEventException("customer unknown"), 1, 7);
        return jsm.getLastMessage(topology.stream(), topology.dlqSubject()).getSeq();
    }

    private static JsonObject json(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        try (var reader = Json.createReader(new StringReader(response.body()))) {
            return reader.readObject();
        }
    }

    @Test
    void offByDefaultEveryPathAnswers404EvenForAnAdmin() throws Exception {
        assertThat(BridgeConfig.builder().appName("orders").destinationApp("billing").build().admin().enabled())
                .isFalse();
        long seq = deadLetter("ev-1");
        serve(false, false);

        HttpResponse<String> list = http.call("GET", DLQ, "admin");
        assertThat(list.statusCode()).isEqualTo(404);
        assertThat(json(list).getString("error")).contains("jetstream.bridge.admin.enabled=true");
        assertThat(http.call("POST", DLQ + "/" + seq + "/replay", "admin").statusCode()).isEqualTo(404);
        assertThat(http.call("DELETE", DLQ + "?which=all", "admin").statusCode()).isEqualTo(404);
        assertThat(http.call("GET", DLQ, null).statusCode()).isEqualTo(404);
        assertThat(queue.inspect(seq)).as("nothing was replayed or purged").isPresent();
    }

    @Test
    void onTheCallerNeedsTheAdminRole() throws Exception {
        long seq = deadLetter("ev-1");
        serve(true, false);

        assertThat(http.call("GET", DLQ, null).statusCode()).isEqualTo(401);
        HttpResponse<String> viewer = http.call("GET", DLQ, "viewer");
        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(json(viewer).getString("error")).isEqualTo("caller 'viewer' is not in role jetstream-bridge-admin");
        assertThat(http.call("POST", DLQ + "/" + seq + "/replay", "viewer").statusCode()).isEqualTo(403);
        assertThat(http.call("DELETE", DLQ + "/" + seq, null).statusCode()).isEqualTo(401);
        assertThat(queue.inspect(seq)).as("nothing was replayed or purged").isPresent();

        HttpResponse<String> admin = http.call("GET", DLQ, "admin");
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(json(admin).getInt("count")).isEqualTo(1);
    }

    @Test
    void theRuntimeEnforcesTheDeclaredRoleToo() throws Exception {
        long seq = deadLetter("ev-1");
        serve(true, true);

        assertThat(http.call("GET", DLQ + "/" + seq, "viewer").statusCode()).isEqualTo(403);
        assertThat(http.call("GET", DLQ + "/" + seq, "admin").statusCode()).isEqualTo(200);
    }

    @Test
    void everyResourceMethodIsCoveredByTheRole() {
        assertThat(DeadLetterResource.class.getAnnotation(RolesAllowed.class).value())
                .containsExactly("jetstream-bridge-admin");
        assertThat(Arrays.stream(DeadLetterResource.class.getDeclaredMethods()).filter(DeadLetterResourceTest::isHttp)
                .filter(m -> m.getAnnotation(RolesAllowed.class) != null
                        || m.getAnnotation(jakarta.annotation.security.PermitAll.class) != null))
                .as("no method overrides the class-level role").isEmpty();
        assertThat(Arrays.stream(DeadLetterResource.class.getDeclaredMethods()).filter(DeadLetterResourceTest::isHttp))
                .hasSize(6);
    }

    private static boolean isHttp(Method m) {
        return m.isAnnotationPresent(GET.class) || m.isAnnotationPresent(POST.class)
                || m.isAnnotationPresent(DELETE.class);
    }

    @Test
    void listInspectReplayAndPurgeAsAnAdmin() throws Exception {
        long seq = deadLetter("ev-9");
        serve(true, false);

        JsonObject page = json(http.call("GET", DLQ + "?from=1&limit=10", "admin"));
        assertThat(page.getString("subject")).isEqualTo("orders.sync.dlq");
        assertThat(page.isNull("next")).isTrue();
        JsonObject entry = page.getJsonArray("entries").getJsonObject(0);
        assertThat(entry.getJsonNumber("sequence").longValue()).isEqualTo(seq);
        assertThat(entry.getString("event_id")).isEqualTo("ev-9");
        assertThat(entry.getString("reason")).isEqualTo("unrecoverable");
        assertThat(entry.getString("error_class")).isEqualTo(UnrecoverableEventException.class.getName());
        assertThat(entry.isNull("replayed")).isTrue();

        JsonObject detail = json(http.call("GET", DLQ + "/" + seq, "admin"));
        assertThat(detail.getJsonObject("context").getString("error_message")).isEqualTo("customer unknown");
        assertThat(detail.getJsonObject("body").getJsonObject("payload").getString("id")).isEqualTo("INV-1");
        assertThat(detail.getJsonObject("headers").getJsonArray("x-dlq-reason").getString(0))
                .isEqualTo("unrecoverable");
        assertThat(detail.getString("body_text")).contains("\"event_type\":\"invoice.created\"");

        HttpResponse<String> replay = http.call("POST", DLQ + "/" + seq + "/replay", "admin");
        assertThat(replay.statusCode()).isEqualTo(200);
        JsonObject result = json(replay);
        assertThat(result.getString("message_id")).isEqualTo("ev-9:replay:" + seq);
        assertThat(result.getString("subject")).isEqualTo("billing.sync.orders");
        long record = result.getJsonNumber("record_sequence").longValue();
        assertThat(jsm.getMessage(topology.stream(), result.getJsonNumber("stream_sequence").longValue())
                .getHeaders().getFirst("Nats-Msg-Id")).isEqualTo("ev-9:replay:" + seq);

        assertThat(http.call("POST", DLQ + "/" + seq + "/replay", "admin").statusCode()).isEqualTo(404);
        HttpResponse<String> again = http.call("POST", DLQ + "/" + record + "/replay", "admin");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(json(again).getString("error")).contains("was replayed at");
        assertThat(json(http.call("GET", DLQ + "/" + record, "admin")).getJsonObject("replayed")
                .getString("message_id")).isEqualTo("ev-9:replay:" + seq);

        assertThat(http.call("GET", DLQ + "?limit=0", "admin").statusCode()).isEqualTo(400);
        assertThat(http.call("DELETE", DLQ, "admin").statusCode()).as("a bare DELETE purges nothing")
                .isEqualTo(400);
        assertThat(http.call("DELETE", DLQ + "/" + record, "admin").statusCode()).isEqualTo(204);
        assertThat(http.call("DELETE", DLQ + "/" + record, "admin").statusCode()).isEqualTo(404);
        deadLetter("ev-10");
        deadLetter("ev-11");
        assertThat(json(http.call("DELETE", DLQ + "?which=all", "admin")).getInt("purged")).isEqualTo(2);
        assertThat(queue.count()).isZero();
    }

    @Test
    void bulkReplayByFilterIsBoundedAndABarePostReplaysNothing() throws Exception {
        long first = deadLetter("ev-20");
        long second = deadLetter("ev-21");
        serve(true, false);

        assertThat(http.call("POST", DLQ + "/replay", "admin").statusCode()).as("a bare POST replays nothing")
                .isEqualTo(400);
        assertThat(http.call("POST", DLQ + "/replay?all=true&stored-from=yesterday", "admin").statusCode())
                .isEqualTo(400);
        assertThat(json(http.call("POST", DLQ + "/replay?reason=max_deliver_exceeded", "admin"))
                .getJsonArray("replayed")).isEmpty();

        JsonObject one = json(http.call("POST", DLQ + "/replay?reason=unrecoverable&event-type=invoice.created"
                + "&limit=1", "admin"));
        assertThat(one.getString("filter")).isEqualTo("reason=unrecoverable, event-type=invoice.created");
        assertThat(one.getJsonArray("replayed")).hasSize(1);
        assertThat(one.getJsonArray("replayed").getJsonObject(0).getString("message_id"))
                .isEqualTo("ev-20:replay:" + first);
        assertThat(one.getJsonNumber("next").longValue()).isEqualTo(second);
        long through = one.getJsonNumber("through").longValue();

        JsonObject rest = json(http.call("POST", DLQ + "/replay?all=true&from=" + second + "&through=" + through,
                "admin"));
        assertThat(rest.getJsonArray("replayed").getJsonObject(0).getString("message_id"))
                .isEqualTo("ev-21:replay:" + second);
        assertThat(rest.getJsonNumber("next").longValue()).isZero();
        assertThat(rest.getJsonArray("failed")).isEmpty();
        assertThat(json(http.call("POST", DLQ + "/replay?all=true", "admin")).getJsonArray("replayed"))
                .as("replayed entries are records: nothing is replayed twice").isEmpty();
    }

    @Test
    void aMalformedBodyIsShownAsTextAndBase64() throws Exception {
        NatsMessage original = NatsMessage.builder().subject(topology.consumeSubject())
                .data("not json".getBytes(StandardCharsets.UTF_8)).build();
        new DeadLetterPublisher(connection.jetStream(), topology, JsonProvider.provider(), Clock.systemUTC())
                .publish(original, "seq:3", DeadLetterReason.MALFORMED_JSON, new IllegalArgumentException("x"), 1, 3);
        long seq = jsm.getLastMessage(topology.stream(), topology.dlqSubject()).getSeq();
        serve(true, false);

        JsonObject detail = json(http.call("GET", DLQ + "/" + seq, "admin"));

        assertThat(detail.get("body")).isEqualTo(JsonValue.NULL);
        assertThat(detail.getString("body_text")).isEqualTo("not json");
        assertThat(detail.getString("body_base64")).isEqualTo("bm90IGpzb24=");
        assertThat(detail.getString("reason")).isEqualTo("malformed_json");
    }
}
