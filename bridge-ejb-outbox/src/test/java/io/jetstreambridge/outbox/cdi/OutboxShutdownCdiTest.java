package io.jetstreambridge.outbox.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetstreambridge.core.outbox.OutboxEvent;
import io.jetstreambridge.cdi.BridgeEntityManagers;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.cdi.JtaContainer;
import io.jetstreambridge.testing.jta.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

/** At shut-down the instance hands back the rows it leased but did not publish, so others take them at once. */
class OutboxShutdownCdiTest {

    private static JpaHarness jpa;

    @BeforeAll
    static void database() {
        jpa = JpaHarness.builder().database(TestDatabase.postgres("outboxstop"))
                .entities(OutboxEvent.class, TestOrder.class)
                .ddlResource("db/jetstream-bridge/postgresql/V2__jetstream_bridge_outbox.sql")
                .ddlResource("db/jetstream-bridge/postgresql/V3__jetstream_bridge_outbox_indexes.sql")
                .ddl(TestOrder.DDL).start();
    }

    @AfterAll
    static void closeDatabase() {
        jpa.close();
    }

    @Test
    void shuttingDownReleasesThisInstancesLeasesAndNoOneElses() throws IOException {
        jpa.database().execute("DELETE FROM jetstream_bridge_outbox_events");
        JtaContainer container = JtaContainer.builder().jpa(jpa).withBridgeRuntime()
                .beanClasses(OutboxRuntime.class, OutboxMaintenanceService.class, BridgeEntityManagers.class)
                .config(Map.of("jetstream.bridge.app-name", "orders",
                        "jetstream.bridge.destination-app", "billing",
                        // NATS stays away: no relay round runs, only the leases below exist
                        "jetstream.bridge.nats.urls", "nats://127.0.0.1:" + closedPort(),
                        "jetstream.bridge.nats.lazy-connect", "true",
                        "jetstream.bridge.consumer.enabled", "false",
                        "jetstream.bridge.outbox.enabled", "true"))
                .start();
        String owner;
        try {
            owner = container.select(OutboxRuntime.class).owner();
            leasedRow(1, "e-mine", owner);
            leasedRow(2, "e-other", "relay-of-another-instance");
            assertThat(leasedTo("e-mine", owner)).isEqualTo(1);
        } finally {
            container.close();
        }

        assertThat(unleased("e-mine")).as("released at shut-down").isEqualTo(1);
        assertThat(leasedTo("e-other", "relay-of-another-instance")).as("another instance's lease stands")
                .isEqualTo(1);
    }

    /** A pending row leased for an hour, as a relay round cut short by the shut-down leaves it. */
    private static void leasedRow(long id, String eventId, String owner) {
        jpa.database().execute("INSERT INTO jetstream_bridge_outbox_events (id, event_id, event_type, subject, "
                + "payload, status, attempts, created_at, next_attempt_at, claimed_by, claimed_until) VALUES ("
                + id + ", '" + eventId + "', 'order.created', 'orders.sync.billing', '{}', 'pending', 0, "
                + "now(), now(), '" + owner + "', now() + interval '1 hour')");
    }

    private static long leasedTo(String eventId, String owner) {
        return jpa.database().queryForLong("SELECT COUNT(*) FROM jetstream_bridge_outbox_events "
                + "WHERE event_id = ? AND claimed_by = ? AND claimed_until IS NOT NULL", eventId, owner);
    }

    private static long unleased(String eventId) {
        return jpa.database().queryForLong("SELECT COUNT(*) FROM jetstream_bridge_outbox_events "
                + "WHERE event_id = ? AND claimed_by IS NULL AND claimed_until IS NULL", eventId);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
