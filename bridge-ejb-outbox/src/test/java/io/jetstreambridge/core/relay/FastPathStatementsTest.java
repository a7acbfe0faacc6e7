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
        OutboxRelay relay = OutboxRelay.builder().store(store).transactions(jpa::inTransaction)
                .jetStream(connection.jetStream(), () -> true).stream(STREAM).settings(config.outbox())
                .ackTimeout(Duration.ofSeconds(5)).window(1024).owner("relay-fast").claimHold(ClaimHold.ROW_LOCKS)
                .build();
        BlockingQueue<Runnable> rounds = new LinkedBlockingQueue<>();
        List<RuntimeException> failures = new ArrayList<>();
        FastPath fastPath = FastPath.builder().relay(relay).executor(rounds::add).batchSize(500).maxQueued(10_000)
                .onFailure(failures::add).build();
        JsonProvider json = JsonProvider.provider();
        OutboxPublisher publisher = OutboxPublisher.builder().registry(jpa.transactionSynchronizationRegistry())
                .ownTransactions(jpa::inTransaction).entityManager(jpa::entityManager).store(store)
                .topology(config.topology()).envelopes(new EnvelopeFactory("orders", Clock.systemUTC()))
                .codec(new EnvelopeCodec(json)).payloads(new PayloadMapper(JsonbBuilder.create(), json))
                .afterCommit(fastPath::committed).build();
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
