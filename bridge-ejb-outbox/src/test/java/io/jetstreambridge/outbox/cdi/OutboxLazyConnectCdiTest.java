package io.jetstreambridge.outbox.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.cdi.BridgeRuntime;
import io.jetstreambridge.testing.cdi.BridgeContainers;
import io.jetstreambridge.testing.cdi.JtaContainer;
import io.jetstreambridge.testing.jta.BridgeTables;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

/**
 * Lazy connect with the outbox while NATS is down: the application's first transactional publish writes its row
 * in the caller's transaction, which commits with the business data (the relay sends it once NATS is back).
 */
class OutboxLazyConnectCdiTest {

    @RegisterExtension
    static final BridgeTables TABLES = BridgeTables.postgres("outboxlazy").outbox()
            .table(TestOrder.class, TestOrder.DDL, "test_orders");

    private JtaContainer container;

    @BeforeEach
    void setUp() {
        container = OutboxContainers.withOutbox(TABLES.jpa())
                .beanClasses(OrderService.class)
                .config(BridgeContainers.outboxOnly(BridgeContainers.unreachableNatsUrl()))
                .config(Map.of("jetstream.bridge.nats.lazy-connect", "true",
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
        assertThat(TABLES.database().countRows("test_orders")).isEqualTo(1);
        assertThat(TABLES.database().queryForLong("SELECT COUNT(*) FROM jetstream_bridge_outbox_events "
                + "WHERE status = 'pending' AND event_id = ?", result.eventId())).isEqualTo(1);
    }

    @Test
    void aRolledBackFirstPublishLeavesNothingAndTheNextOneCommits() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> container.select(OrderService.class).create("L-2", true))
                .hasMessageContaining("payment declined");
        PublishResult result = container.select(OrderService.class).create("L-3", false);

        assertThat(result.outcome()).isEqualTo(PublishResult.Outcome.PENDING);
        assertThat(TABLES.database().countRows("test_orders")).isEqualTo(1);
        assertThat(TABLES.database().countRows("jetstream_bridge_outbox_events")).isEqualTo(1);
    }

    @Test
    void aPublishInsideTheCallersTransactionBeforeTheBridgeStartedStillCommitsWithIt() {
        container.close();
        EarlyOrders.OUTCOME.set(null);
        container = OutboxContainers.withOutbox(TABLES.jpa())
                .beanClasses(OrderService.class, EarlyOrders.class)
                .config(BridgeContainers.outboxOnly(BridgeContainers.unreachableNatsUrl()))
                .config(Map.of("jetstream.bridge.nats.lazy-connect", "true"))
                .start();

        assertThat(EarlyOrders.OUTCOME.get()).as("the start-up publish").isInstanceOf(PublishResult.class);
        assertThat(TABLES.database().countRows("test_orders")).isEqualTo(1);
        assertThat(TABLES.database().countRows("jetstream_bridge_outbox_events")).isEqualTo(1);
    }
}
