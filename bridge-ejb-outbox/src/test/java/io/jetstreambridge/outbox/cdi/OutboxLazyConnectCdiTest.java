package io.jetstreambridge.outbox.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetstreambridge.core.outbox.OutboxEvent;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.cdi.BridgeEntityManagers;
import io.jetstreambridge.cdi.BridgeRuntime;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.cdi.JtaContainer;
import io.jetstreambridge.testing.jta.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

/**
 * Lazy connect with the outbox while NATS is down: the application's first transactional publish writes its row
 * in the caller's transaction, which commits with the business data (the relay sends it once NATS is back).
 */
class OutboxLazyConnectCdiTest {

    private static JpaHarness jpa;
    private JtaContainer container;

    @BeforeAll
    static void database() {
        jpa = JpaHarness.builder().database(TestDatabase.postgres("outboxlazy"))
                .entities(OutboxEvent.class, TestOrder.class)
                .ddlResource("db/jetstream-bridge/postgresql/V2__jetstream_bridge_outbox.sql")
                .ddlResource("db/jetstream-bridge/postgresql/V3__jetstream_bridge_outbox_indexes.sql")
                .ddl(TestOrder.DDL).start();
    }

    @AfterAll
    static void closeDatabase() {
        jpa.close();
    }

    @BeforeEach
    void setUp() throws IOException {
        jpa.database().execute("DELETE FROM jetstream_bridge_outbox_events");
        jpa.database().execute("DELETE FROM test_orders");
        container = JtaContainer.builder().jpa(jpa).withBridgeRuntime()
                .beanClasses(OutboxRuntime.class, OutboxMaintenanceService.class, BridgeEntityManagers.class,
                        OrderService.class)
                .config(Map.of("jetstream.bridge.app-name", "orders",
                        "jetstream.bridge.destination-app", "billing",
                        "jetstream.bridge.nats.urls", "nats://127.0.0.1:" + closedPort(),
                        "jetstream.bridge.nats.lazy-connect", "true",
                        "jetstream.bridge.consumer.enabled", "false",
                        "jetstream.bridge.outbox.enabled", "true",
                        "jetstream.bridge.outbox.database", "auto"))
                .start();
    }

    @AfterEach
    void tearDown() {
        container.close();
    }

    @Test
    void theFirstTransactionalPublishWhileNatsIsDownCommitsTheRowWithTheBusinessData() {
        assertThat(container.select(BridgeRuntime.class).currentConnection()).as("NATS is down").isEmpty();

        PublishResult result = container.select(OrderService.class).create("L-1", false);

        assertThat(result.outcome()).isEqualTo(PublishResult.Outcome.PENDING);
        assertThat(jpa.database().countRows("test_orders")).isEqualTo(1);
        assertThat(jpa.database().queryForLong("SELECT COUNT(*) FROM jetstream_bridge_outbox_events "
                + "WHERE status = 'pending' AND event_id = ?", result.eventId())).isEqualTo(1);
    }

    @Test
    void aRolledBackFirstPublishLeavesNothingAndTheNextOneCommits() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> container.select(OrderService.class).create("L-2", true))
                .hasMessageContaining("payment declined");
        PublishResult result = container.select(OrderService.class).create("L-3", false);

        assertThat(result.outcome()).isEqualTo(PublishResult.Outcome.PENDING);
        assertThat(jpa.database().countRows("test_orders")).isEqualTo(1);
        assertThat(jpa.database().countRows("jetstream_bridge_outbox_events")).isEqualTo(1);
    }

    @Test
    void aPublishInsideTheCallersTransactionBeforeTheBridgeStartedStillCommitsWithIt() throws IOException {
        container.close();
        EarlyOrders.OUTCOME.set(null);
        container = JtaContainer.builder().jpa(jpa).withBridgeRuntime()
                .beanClasses(OutboxRuntime.class, OutboxMaintenanceService.class, BridgeEntityManagers.class,
                        OrderService.class, EarlyOrders.class)
                .config(Map.of("jetstream.bridge.app-name", "orders",
                        "jetstream.bridge.destination-app", "billing",
                        "jetstream.bridge.nats.urls", "nats://127.0.0.1:" + closedPort(),
                        "jetstream.bridge.nats.lazy-connect", "true",
                        "jetstream.bridge.consumer.enabled", "false",
                        "jetstream.bridge.outbox.enabled", "true"))
                .start();

        assertThat(EarlyOrders.OUTCOME.get()).as("the start-up publish").isInstanceOf(PublishResult.class);
        assertThat(jpa.database().countRows("test_orders")).isEqualTo(1);
        assertThat(jpa.database().countRows("jetstream_bridge_outbox_events")).isEqualTo(1);
    }

    /** A loopback port nobody listens on: bound, read, released. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
