package io.jetstreambridge.outbox.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.AdminSettings;
import io.jetstreambridge.core.outbox.OutboxEvent;
import io.jetstreambridge.outbox.cdi.OutboxMaintenanceService;
import io.jetstreambridge.outbox.cdi.OutboxRuntime;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.publish.Publisher;
import io.jetstreambridge.cdi.admin.AdminAccess;
import io.jetstreambridge.cdi.BridgeEntityManagers;
import io.jetstreambridge.testing.JaxRsServer;
import io.jetstreambridge.core.outbox.RefusingStream;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.cdi.JtaContainer;
import io.jetstreambridge.testing.jta.TestDatabase;
import jakarta.annotation.security.RolesAllowed;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.StringReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Failed outbox rows over real HTTP (Jersey on Grizzly) with the real {@link OutboxMaintenanceService} of a CDI container
 * with JTA on PostgreSQL: off by default, the role required, then list, retry and discard.
 */
class OutboxAdminResourceTest {

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private static final Map<String, Set<String>> USERS = Map.of(
            "admin", Set.of(AdminSettings.ROLE), "viewer", Set.of("orders-viewer"));
    private static final String OUTBOX = "jetstream-bridge/admin/outbox";

    private static JpaHarness jpa;
    private JtaContainer container;
    private JaxRsServer http;

    @BeforeAll
    static void database() {
        jpa = JpaHarness.builder().database(TestDatabase.postgres("outboxadmin")).entities(OutboxEvent.class)
                .ddlResource("db/jetstream-bridge/postgresql/V2__jetstream_bridge_outbox.sql")
                .ddlResource("db/jetstream-bridge/postgresql/V3__jetstream_bridge_outbox_indexes.sql").start();
    }

    @AfterAll
    static void closeDatabase() {
        jpa.close();
    }

    @BeforeEach
    void setUp() {
        NATS.cleanJetStream();
        jpa.database().execute("DELETE FROM jetstream_bridge_outbox_events");
        container = JtaContainer.builder().jpa(jpa).withBridgeRuntime()
                .beanClasses(OutboxRuntime.class, OutboxMaintenanceService.class, BridgeEntityManagers.class)
                .config(Map.of("jetstream.bridge.app-name", "orders",
                        "jetstream.bridge.destination-app", "billing",
                        "jetstream.bridge.nats.urls", NATS.url(),
                        "jetstream.bridge.consumer.enabled", "false",
                        "jetstream.bridge.outbox.enabled", "true",
                        "jetstream.bridge.outbox.relay.poll-interval", "200ms",
                        "jetstream.bridge.outbox.relay.max-attempts", "1",
                        "jetstream.bridge.publish.ack-timeout", "500ms"))
                .start();
    }

    @AfterEach
    void tearDown() {
        if (http != null) {
            http.close();
        }
        container.close();
    }

    private void serve(boolean enabled) {
        http = JaxRsServer.start(USERS, false, new OutboxAdminResource(container.select(OutboxMaintenanceService.class),
                new AdminAccess(new AdminSettings(enabled))));
    }

    /**
     * An event on a subject of another stream: JetStream refuses it (not the expected stream), so the relay's one
     * attempt counts and the row is marked failed. (A subject no stream takes goes unanswered: not counted.)
     */
    private PublishResult failedRow(String id) {
        RefusingStream.add(NATS);
        PublishResult result = container.select(Publisher.class).publish(OutgoingEvent
                .builder("order.created", Map.of("id", id)).subject(RefusingStream.SUBJECT).build());
        await().atMost(Duration.ofSeconds(15)).until(() -> jpa.database().queryForLong(
                "SELECT COUNT(*) FROM jetstream_bridge_outbox_events WHERE status = 'failed' AND event_id = ?",
                result.eventId()) == 1);
        return result;
    }

    private static JsonObject json(HttpResponse<String> response) {
        try (var reader = Json.createReader(new StringReader(response.body()))) {
            return reader.readObject();
        }
    }

    @Test
    void offByDefault() {
        PublishResult row = failedRow("A-1");
        serve(false);

        assertThat(http.call("GET", OUTBOX + "/failed", "admin").statusCode()).isEqualTo(404);
        assertThat(http.call("DELETE", OUTBOX + "/failed/" + row.eventId(), "admin").statusCode()).isEqualTo(404);
        assertThat(jpa.database().countRows("jetstream_bridge_outbox_events")).isEqualTo(1);
    }

    @Test
    void theCallerNeedsTheAdminRole() {
        PublishResult row = failedRow("A-2");
        serve(true);

        assertThat(http.call("GET", OUTBOX, null).statusCode()).isEqualTo(401);
        assertThat(http.call("GET", OUTBOX + "/failed", "viewer").statusCode()).isEqualTo(403);
        assertThat(http.call("POST", OUTBOX + "/failed/" + row.eventId() + "/retry", "viewer").statusCode())
                .isEqualTo(403);
        assertThat(http.call("DELETE", OUTBOX + "/failed/" + row.eventId(), null).statusCode()).isEqualTo(401);
        assertThat(jpa.database().queryForLong("SELECT COUNT(*) FROM jetstream_bridge_outbox_events "
                + "WHERE status = 'failed'")).isEqualTo(1);
        assertThat(OutboxAdminResource.class.getAnnotation(RolesAllowed.class).value())
                .containsExactly("jetstream-bridge-admin");
    }

    @Test
    void listRetryAndDiscardFailedRows() {
        PublishResult retried = failedRow("A-3");
        PublishResult discarded = failedRow("A-4");
        serve(true);

        JsonObject backlog = json(http.call("GET", OUTBOX, "admin"));
        assertThat(backlog.getInt("failed")).isEqualTo(2);
        assertThat(backlog.getInt("pending")).isZero();
        HttpResponse<String> failed = http.call("GET", OUTBOX + "/failed?limit=10", "admin");
        assertThat(failed.statusCode()).isEqualTo(200);
        assertThat(json(failed).getJsonArray("rows").getValuesAs(JsonObject.class))
                .extracting(r -> r.getString("event_id"))
                .containsExactlyInAnyOrder(retried.eventId(), discarded.eventId());
        assertThat(json(failed).getJsonArray("rows").getJsonObject(0).getString("last_error")).isNotBlank();
        assertThat(http.call("GET", OUTBOX + "/failed?limit=0", "admin").statusCode()).isEqualTo(400);

        HttpResponse<String> retry = http.call("POST", OUTBOX + "/failed/" + retried.eventId() + "/retry", "admin");
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(json(retry).getString("status")).isEqualTo("pending");
        assertThat(http.call("DELETE", OUTBOX + "/failed/" + discarded.eventId(), "admin").statusCode())
                .isEqualTo(204);
        assertThat(http.call("DELETE", OUTBOX + "/failed/" + discarded.eventId(), "admin").statusCode())
                .isEqualTo(404);
        assertThat(http.call("POST", OUTBOX + "/failed/no-such-event/retry", "admin").statusCode()).isEqualTo(404);
        assertThat(jpa.database().queryForLong("SELECT COUNT(*) FROM jetstream_bridge_outbox_events "
                + "WHERE event_id = ?", discarded.eventId())).isZero();
        assertThat(jpa.database().queryForLong("SELECT COUNT(*) FROM jetstream_bridge_outbox_events "
                + "WHERE event_id = ?", retried.eventId())).as("a retried row is kept").isEqualTo(1);
    }

    @Test
    void bulkRetryPutsBackTheFailedRowsOfOneEventTypeOrAll() {
        PublishResult order = failedRow("A-5");
        PublishResult invoice = container.select(Publisher.class).publish(OutgoingEvent
                .builder("invoice.created", Map.of("id", "I-1")).subject(RefusingStream.SUBJECT).build());
        await().atMost(Duration.ofSeconds(15)).until(() -> jpa.database().queryForLong(
                "SELECT COUNT(*) FROM jetstream_bridge_outbox_events WHERE status = 'failed'") == 2);
        serve(true);

        assertThat(json(http.call("GET", OUTBOX + "/failed?event_type=invoice.created", "admin"))
                .getJsonArray("rows").getValuesAs(JsonObject.class)).extracting(r -> r.getString("event_id"))
                .containsExactly(invoice.eventId());
        assertThat(http.call("POST", OUTBOX + "/failed/retry?older_than=soon", "admin").statusCode())
                .isEqualTo(400);
        assertThat(http.call("POST", OUTBOX + "/failed/retry", "viewer").statusCode()).isEqualTo(403);
        HttpResponse<String> none = http.call("POST", OUTBOX + "/failed/retry?older_than=1h", "admin");
        assertThat(json(none).getInt("retried")).as("both rows are younger than an hour").isZero();

        HttpResponse<String> invoices = http.call("POST", OUTBOX + "/failed/retry?event_type=invoice.created",
                "admin");
        assertThat(invoices.statusCode()).isEqualTo(200);
        assertThat(json(invoices).getInt("retried")).isEqualTo(1);
        assertThat(jpa.database().queryForLong("SELECT COUNT(*) FROM jetstream_bridge_outbox_events "
                + "WHERE status = 'failed' AND event_id = ?", order.eventId())).as("another type stays failed")
                .isEqualTo(1);

        // the invoice row fails again (another stream takes its subject); then everything is retried
        await().atMost(Duration.ofSeconds(15)).until(() -> jpa.database().queryForLong(
                "SELECT COUNT(*) FROM jetstream_bridge_outbox_events WHERE status = 'failed'") == 2);
        assertThat(json(http.call("POST", OUTBOX + "/failed/retry", "admin")).getInt("retried")).isEqualTo(2);
    }
}
