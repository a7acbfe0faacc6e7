package io.jetstreambridge.core.relay;

import static io.jetstreambridge.core.relay.RelaySetup.STREAM;
import static io.jetstreambridge.core.relay.RelaySetup.TABLE;
import static io.jetstreambridge.core.relay.RelaySetup.orders;
import static org.assertj.core.api.Assertions.assertThat;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.envelope.EnvelopeFactory;
import io.jetstreambridge.core.outbox.JpaOutboxStore;
import io.jetstreambridge.core.outbox.OutboxDialect;
import io.jetstreambridge.core.outbox.OutboxEvent;
import io.jetstreambridge.core.outbox.OutboxPublisher;
import io.jetstreambridge.core.outbox.OutboxStore;
import io.jetstreambridge.core.publish.PayloadMapper;
import io.jetstreambridge.core.telemetry.BridgeTelemetry;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.ProvisionedConnection;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.jta.TestDatabase;
import io.nats.client.Connection;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.spi.JsonProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * What a committed event costs the database on the fast path, counted over JDBC (PostgreSQL, row locks): the
 * application's transaction writes the row; the fast path's round claims the ids, publishes from memory and
 * finishes the rows, reading no row back. The figures are printed for docs/outbox.md.
 */
class FastPathStatementsTest {

    private static final int EVENTS = 200;

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private static final CountingDataSource COUNTING = new CountingDataSource();
    private static JpaHarness jpa;
    private final OutboxStore store = new JpaOutboxStore(OutboxDialect.POSTGRESQL);
    private Connection connection;

    @BeforeAll
    static void database() {
        TestDatabase database = TestDatabase.postgres("faststatements");
        jpa = JpaHarness.builder().database(database).entities(OutboxEvent.class)
                .ddlResource("db/jetstream-bridge/postgresql/V2__jetstream_bridge_outbox.sql")
                .property("jakarta.persistence.jtaDataSource", COUNTING.wrap(database.jtaDataSource()))
                .start();
    }

    @AfterAll
    static void closeDatabase() {
        jpa.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        jpa.database().execute("DELETE FROM " + TABLE);
        connection = ProvisionedConnection.open(orders(NATS).build());
    }

    @AfterEach
    void tearDown() throws Exception {
        connection.close();
    }

    @Test
    void aCommittedEventCostsItsInsertAndAShareOfOneClaimOfIdsAndOneFinishingStatement() throws Exception {
        BridgeConfig config = orders(NATS).build();
        OutboxRelay relay = new OutboxRelay(store, jpa::inTransaction, connection.jetStream(), STREAM,
                config.outbox(), Duration.ofSeconds(5), 1024, Clock.systemUTC(), "relay-fast", RelayListener.NONE,
                BridgeTelemetry.NONE, null, true);
        BlockingQueue<Runnable> rounds = new LinkedBlockingQueue<>();
        List<RuntimeException> failures = new ArrayList<>();
        FastPath fastPath = new FastPath(relay, rounds::add, 500, 10_000, failures::add);
        JsonProvider json = JsonProvider.provider();
        OutboxPublisher publisher = new OutboxPublisher(jpa.transactionSynchronizationRegistry(),
                jpa::inTransaction, jpa::entityManager, store, config.topology(),
                new EnvelopeFactory("orders", Clock.systemUTC()), new EnvelopeCodec(json),
                new PayloadMapper(JsonbBuilder.create(), json), fastPath::committed, Clock.systemUTC());
        COUNTING.take();

        for (int i = 0; i < EVENTS; i++) { // one event per transaction, as an application commits them
            jpa.userTransaction().begin();
            publisher.publish("order.created", Map.of("id", i, "note", "an order of some size ".repeat(8)));
            jpa.userTransaction().commit();
        }
        CountingDataSource.Counts application = COUNTING.take();
        while (!rounds.isEmpty()) { // the fast path's drain, which the executor would run
            rounds.take().run();
        }
        CountingDataSource.Counts fastRounds = COUNTING.take();

        System.out.printf("FastPathStatementsTest: %d events, one per transaction%n  application: %s%n"
                + "  fast path:   %s (%.3f statements per event)%n", EVENTS, application, fastRounds,
                fastRounds.statementCount() / (double) EVENTS);
        assertThat(failures).isEmpty();
        assertThat(jpa.database().queryForLong("SELECT COUNT(*) FROM " + TABLE + " WHERE status <> 'sent'"))
                .isZero();
        assertThat(application.statements()).containsEntry("INSERT", (long) EVENTS);
        assertThat(fastRounds.characters()).as("text read back by the fast path (payload, headers, subject)")
                .isZero();
        assertThat(fastRounds.values()).as("values read: the ids it claimed").isEqualTo(EVENTS);
        assertThat(fastRounds.statementCount()).as("one claim of ids and one finishing statement per round")
                .isEqualTo(2);
    }
}
