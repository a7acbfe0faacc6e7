package io.jetstreambridge.outbox.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetstreambridge.testing.cdi.BridgeContainers;
import io.jetstreambridge.testing.cdi.JtaContainer;
import io.jetstreambridge.testing.jta.BridgeTables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** At shut-down the instance hands back the rows it leased but did not publish, so others take them at once. */
class OutboxShutdownCdiTest {

    @RegisterExtension
    static final BridgeTables TABLES = BridgeTables.postgres("outboxstop").outbox()
            .table(TestOrder.class, TestOrder.DDL, "test_orders");

    @Test
    void shuttingDownReleasesThisInstancesLeasesAndNoOneElses() {
        JtaContainer container = OutboxContainers.withOutbox(TABLES.jpa())
                // NATS stays away: no relay round runs, only the leases below exist
                .config(BridgeContainers.outboxOnly(BridgeContainers.unreachableNatsUrl()))
                .config("jetstream.bridge.nats.lazy-connect", "true")
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
        TABLES.database().execute("INSERT INTO jetstream_bridge_outbox_events (id, event_id, event_type, subject, "
                + "payload, status, attempts, created_at, next_attempt_at, claimed_by, claimed_until) VALUES ("
                + id + ", '" + eventId + "', 'order.created', 'orders.sync.billing', '{}', 'pending', 0, "
                + "now(), now(), '" + owner + "', now() + interval '1 hour')");
    }

    private static long leasedTo(String eventId, String owner) {
        return TABLES.database().queryForLong("SELECT COUNT(*) FROM jetstream_bridge_outbox_events "
                + "WHERE event_id = ? AND claimed_by = ? AND claimed_until IS NOT NULL", eventId, owner);
    }

    private static long unleased(String eventId) {
        return TABLES.database().queryForLong("SELECT COUNT(*) FROM jetstream_bridge_outbox_events "
                + "WHERE event_id = ? AND claimed_by IS NULL AND claimed_until IS NULL", eventId);
    }
}
