package io.jetstreambridge.core.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.core.outbox.JpaOutboxStore;
import io.jetstreambridge.core.outbox.NewOutboxEvent;
import io.jetstreambridge.core.outbox.OutboxDialect;
import io.jetstreambridge.core.outbox.OutboxEvent;
import io.jetstreambridge.core.outbox.OutboxStore;
import io.jetstreambridge.core.connection.NatsConnector;
import io.jetstreambridge.core.topology.StreamProvisioner;
import io.jetstreambridge.core.transaction.Transactions;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.jta.TestDatabase;
import io.nats.client.Connection;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * The sweeper's liveness signal: a long drain of a backlog shows progress round by round, so liveness does not
 * call a healthy relay stalled only because the backlog takes longer than the stall timeout to drain.
 */
class OutboxSweeperTest {

    private static final String STREAM = "jetstream-bridge-stream";

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private static JpaHarness jpa;
    private final OutboxStore store = new JpaOutboxStore(OutboxDialect.POSTGRESQL);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final CountDownLatch neverReleased = new CountDownLatch(1);
    private Connection connection;
    private OutboxSweeper sweeper;

    @BeforeAll
    static void database() {
        jpa = JpaHarness.builder().database(TestDatabase.postgres("sweeper")).entities(OutboxEvent.class)
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
    }

    @AfterEach
    void tearDown() throws Exception {
        if (sweeper != null) {
            sweeper.close();
        }
        scheduler.shutdownNow();
        connection.close();
    }

    @Test
    void aDrainLongerThanOneRoundReportsEachRoundNotOnlyItsEnd() throws Exception {
        // 40 rows, 5 a round, each round's transaction 300 ms: a drain of 8 rounds, about 2.4 s
        BridgeConfig config = BridgeConfig.builder().appName("orders").destinationApp("billing")
                .natsUrls(NATS.url()).set(ConfigKey.CONSUMER_ENABLED, "false")
                .set(ConfigKey.OUTBOX_GRACE_PERIOD, "0s").set(ConfigKey.OUTBOX_BATCH_SIZE, "5").build();
        connection = new NatsConnector(config.nats(), null).connect();
        new StreamProvisioner(connection.jetStreamManagement(), config).provision();
        jpa.inTransaction(em -> IntStream.range(0, 40)
                .mapToObj(i -> store.append(em, newEvent("sweep-" + i), Instant.now())).toList());
        Transactions slow = new Transactions() {
            @Override
            public <T> T inTransaction(Function<EntityManager, T> work) {
                try {
                    neverReleased.await(300, TimeUnit.MILLISECONDS); // a slow database
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return jpa.inTransaction(work);
            }
        };
        OutboxRelay relay = new OutboxRelay(store, slow, connection.jetStream(), STREAM, config.outbox(),
                Duration.ofSeconds(2), 1024, Clock.systemUTC(), "sweeper-test", RelayListener.NONE);
        sweeper = new OutboxSweeper(relay, scheduler, Duration.ofMillis(50), Clock.systemUTC()).start();

        await().atMost(Duration.ofSeconds(20)).until(() -> sweeper.lastRound().isPresent());
        long pendingAtFirstRound = pending();

        assertThat(pendingAtFirstRound).as("rows still pending when the sweeper first reported a round")
                .isPositive();
        Instant first = sweeper.lastRound().orElseThrow();
        await().atMost(Duration.ofSeconds(20)).until(() -> sweeper.lastRound().orElseThrow().isAfter(first)
                && pending() > 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> pending() == 0);
    }

    private long pending() {
        return jpa.database().queryForLong("SELECT COUNT(*) FROM jetstream_bridge_outbox_events WHERE status = ?",
                "pending");
    }

    private static NewOutboxEvent newEvent(String eventId) {
        String body = "{\"event_id\":\"" + eventId + "\",\"schema_version\":1,\"event_type\":\"order.created\","
                + "\"producer\":\"orders\",\"resource_id\":\"1\",\"occurred_at\":\"2026-11-26T17:04:05Z\","
                + "\"trace_id\":\"00ff00ff00ff00ff\",\"resource_type\":\"order\",\"payload\":{\"id\":1}}";
        return new NewOutboxEvent(eventId, "order.created", "order", "1", "orders.sync.billing", body, Map.of());
    }
}
