package io.jetstreambridge.core.relay;

import static io.jetstreambridge.core.relay.RelaySetup.STREAM;
import static io.jetstreambridge.core.relay.RelaySetup.TABLE;
import static io.jetstreambridge.core.relay.RelaySetup.orders;
import static io.jetstreambridge.core.relay.RelaySetup.outboxDatabase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.envelope.EnvelopeFactory;
import io.jetstreambridge.core.outbox.JpaOutboxStore;
import io.jetstreambridge.core.outbox.OutboxDialect;
import io.jetstreambridge.core.outbox.OutboxPublisher;
import io.jetstreambridge.core.outbox.OutboxRecord;
import io.jetstreambridge.core.outbox.OutboxStore;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.core.publish.PayloadMapper;
import io.jetstreambridge.core.telemetry.BridgeTelemetry;
import io.jetstreambridge.core.transaction.Transactions;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.ProvisionedConnection;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.spi.JsonProvider;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The fast path publishes the rows a commit wrote from what it holds in memory, and touches the table only to claim
 * and finish them: the message is the one the sweeper would send for the same row, byte for byte, and a row
 * another relay holds or already sent is not sent again. Each test runs with row locks (PostgreSQL, MySQL) and
 * with leases (as on H2 and Derby).
 */
class FastPathFromMemoryTest {

    private static final String SUBJECT = "orders.sync.billing";

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private static JpaHarness jpa;
    private final OutboxStore store = new JpaOutboxStore(OutboxDialect.POSTGRESQL);
    private final Transactions transactions = jpa::inTransaction;
    /** What the publisher handed over after each commit. */
    private final List<List<OutboxRecord>> committed = new CopyOnWriteArrayList<>();
    private BridgeConfig config;
    private Connection connection;
    private Connection reader;
    private Subscription published;

    @BeforeAll
    static void database() {
        jpa = outboxDatabase("fastmemory");
    }

    @AfterAll
    static void closeDatabase() {
        jpa.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        jpa.database().execute("DELETE FROM " + TABLE);
        config = orders(NATS).set(ConfigKey.OUTBOX_LEASE, "1s").build();
        connection = ProvisionedConnection.open(config);
        // a core subscription sees every publish, also one that JetStream then drops as a duplicate
        reader = NATS.connect();
        published = reader.subscribe(SUBJECT);
        reader.flush(Duration.ofSeconds(2));
    }

    @AfterEach
    void tearDown() throws Exception {
        reader.close();
        connection.close();
    }

    private OutboxRelay relay(boolean rowLocks, String owner, Transactions tx) throws java.io.IOException {
        return new OutboxRelay(store, tx, connection.jetStream(), STREAM, config.outbox(), Duration.ofSeconds(2),
                1024, Clock.systemUTC(), owner, RelayListener.NONE, BridgeTelemetry.NONE, null, rowLocks);
    }

    private OutboxPublisher publisher() {
        return publisher(committed::add);
    }

    private OutboxPublisher publisher(java.util.function.Consumer<List<OutboxRecord>> afterCommit) {
        JsonProvider json = JsonProvider.provider();
        return new OutboxPublisher(jpa.transactionSynchronizationRegistry(), transactions, jpa::entityManager, store,
                config.topology(), new EnvelopeFactory("orders", Clock.systemUTC()), new EnvelopeCodec(json),
                new PayloadMapper(JsonbBuilder.create(), json), afterCommit, Clock.systemUTC());
    }

    /** One event with headers of its own and a trace context, committed in the caller's transaction. */
    private String commitOneEvent() throws Exception {
        OutgoingEvent event = OutgoingEvent.builder("order.created",
                        Map.of("id", 7, "city", "Z\u00fcrich", "note", "caf\u00e9 \uD83D\uDE00"))
                .resourceType("order").resourceId("7")
                .header("X-Tenant", "acme")
                .header("X-Request", "r-1")
                .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .header("tracestate", "congo=t61rcWkgMzE")
                .build();
        jpa.userTransaction().begin();
        String eventId = publisher().publish(event).eventId();
        jpa.userTransaction().commit();
        assertThat(committed).hasSize(1);
        return eventId;
    }

    private Message nextPublished() throws InterruptedException {
        Message message = published.nextMessage(Duration.ofSeconds(5));
        assertThat(message).as("a publish on " + SUBJECT).isNotNull();
        return message;
    }

    /**
     * No further publish reached the subject: the relay's connection is flushed (the server has every publish it
     * made), then the reader's (the server has delivered them), so one in flight would have arrived.
     */
    private void assertNothingMorePublished() throws Exception {
        connection.flush(Duration.ofSeconds(2));
        reader.flush(Duration.ofSeconds(2));
        assertThat(published.nextMessage(Duration.ofMillis(200))).isNull();
    }

    /** The outbox row's payload as the table holds it. */
    private static String payload() throws Exception {
        try (java.sql.Connection plain = jpa.database().openConnection();
             ResultSet rows = plain.createStatement().executeQuery("SELECT payload FROM " + TABLE)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }

    private long unsent() {
        return jpa.database().queryForLong("SELECT COUNT(*) FROM " + TABLE + " WHERE status <> 'sent'");
    }

    /**
     * A sweeper that publishes and then dies before what it recorded commits: the row is pending again (at once
     * with row locks, once its lease runs out with leases), and the sweeper's message was sent.
     */
    private OutboxRelay sweeperDyingBeforeItRecords(boolean rowLocks) throws java.io.IOException {
        Transactions dying = new Transactions() {
            private int calls;

            @Override
            public synchronized <T> T inTransaction(Function<EntityManager, T> work) {
                boolean recording = rowLocks || ++calls == 2; // locks: one transaction; leases: the second one
                return jpa.inTransaction(em -> {
                    T result = work.apply(em);
                    if (recording) {
                        throw new IllegalStateException("the sweeper died before its commit");
                    }
                    return result;
                });
            }
        };
        return relay(rowLocks, "sweeper-dying", dying);
    }

    @ParameterizedTest(name = "row locks: {0}")
    @ValueSource(booleans = {true, false})
    void theFastPathSendsTheSameMessageAsTheSweeperForTheSameRow(boolean rowLocks) throws Exception {
        String eventId = commitOneEvent();

        assertThatThrownBy(() -> sweeperDyingBeforeItRecords(rowLocks).sweep()).hasMessageContaining("died");
        Message bySweeper = nextPublished();
        OutboxRelay fast = relay(rowLocks, "relay-fast", transactions);
        await().atMost(Duration.ofSeconds(10)).until(() -> fast.relayCommitted(committed.get(0)) == 1);
        Message byFastPath = nextPublished();

        assertThat(byFastPath.getSubject()).isEqualTo(bySweeper.getSubject());
        assertThat(byFastPath.getData()).isEqualTo(bySweeper.getData());
        assertThat(new String(byFastPath.getHeaders().getSerialized(), StandardCharsets.US_ASCII))
                .isEqualTo(new String(bySweeper.getHeaders().getSerialized(), StandardCharsets.US_ASCII));
        assertThat(byFastPath.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo(eventId);
        assertThat(byFastPath.getHeaders().getFirst("X-Tenant")).isEqualTo("acme");
        assertThat(byFastPath.getHeaders().getFirst("traceparent"))
                .isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertThat(byFastPath.getHeaders().getFirst("tracestate")).isEqualTo("congo=t61rcWkgMzE");
        assertThat(unsent()).isZero();
        assertNothingMorePublished();
    }

    @ParameterizedTest(name = "row locks: {0}")
    @ValueSource(booleans = {true, false})
    void theFastPathSendsWhatTheCommitWroteWithoutReadingTheRowBack(boolean rowLocks) throws Exception {
        commitOneEvent();
        String written = payload();
        // changed behind the relay's back: a relay that reads the row back would send this
        jpa.database().execute("UPDATE " + TABLE + " SET payload = '{\"changed\":true}', "
                + "headers = '{\"X-Changed\":\"yes\"}', subject = 'orders.sync.elsewhere'");

        assertThat(relay(rowLocks, "relay-fast", transactions).relayCommitted(committed.get(0))).isEqualTo(1);

        Message message = nextPublished();
        assertThat(new String(message.getData(), StandardCharsets.UTF_8)).isEqualTo(written);
        assertThat(message.getHeaders().get("X-Changed")).isNull();
        assertThat(message.getHeaders().getFirst("X-Tenant")).isEqualTo("acme");
        assertThat(unsent()).isZero();
    }

    @org.junit.jupiter.api.Test
    void theQueueHoldsRowsUpToItsCharacterBudgetAndLeavesTheRestToTheSweeper() throws Exception {
        OutboxRelay relay = relay(true, "relay-fast", transactions);
        java.util.concurrent.BlockingQueue<Runnable> rounds = new java.util.concurrent.LinkedBlockingQueue<>();
        List<RuntimeException> failures = new CopyOnWriteArrayList<>();
        // room for three events of some 10,000 characters each, not four
        FastPath fastPath = new FastPath(relay, rounds::add, 500, 1_000, 35_000, failures::add);
        OutboxPublisher publisher = publisher(fastPath::committed);

        for (int i = 0; i < 5; i++) {
            jpa.userTransaction().begin();
            publisher.publish("order.created", Map.of("id", i, "note", "x".repeat(10_000)));
            jpa.userTransaction().commit();
        }
        assertThat(rounds).hasSize(1);
        rounds.take().run();

        assertThat(unsent()).as("beyond the budget: pending, for the sweeper").isEqualTo(2);
        assertThat(failures).isEmpty();
        assertThat(relay(true, "sweeper", transactions).sweep()).isEqualTo(2);
        assertThat(unsent()).isZero();
        for (int i = 0; i < 5; i++) {
            nextPublished();
        }
        assertNothingMorePublished();
    }

    @ParameterizedTest(name = "row locks: {0}")
    @ValueSource(booleans = {true, false})
    void aRowAnotherRelayHoldsOrAlreadySentIsNotPublishedAgain(boolean rowLocks) throws Exception {
        commitOneEvent();
        OutboxRelay fast = relay(rowLocks, "relay-fast", transactions);

        // the sweeper holds the row: its row lock, or its lease
        try (java.sql.Connection sweeper = jpa.database().openConnection()) {
            sweeper.setAutoCommit(false);
            String hold = rowLocks ? "SELECT id FROM " + TABLE + " FOR UPDATE"
                    : "UPDATE " + TABLE + " SET claimed_by = 'sweeper', claimed_until = ?";
            try (PreparedStatement statement = sweeper.prepareStatement(hold)) {
                if (rowLocks) {
                    statement.executeQuery().close();
                } else {
                    statement.setTimestamp(1, java.sql.Timestamp.valueOf(
                            java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).plusMinutes(5)));
                    statement.executeUpdate();
                    sweeper.commit();
                }
            }
            assertThat(fast.relayCommitted(committed.get(0))).isZero();
            assertNothingMorePublished();
            sweeper.rollback();
        }
        jpa.database().execute("UPDATE " + TABLE + " SET claimed_by = NULL, claimed_until = NULL");

        // the sweeper sent it: the fast path's round comes too late and sends nothing
        assertThat(relay(rowLocks, "sweeper", transactions).sweep()).isEqualTo(1);
        nextPublished();
        assertThat(fast.relayCommitted(committed.get(0))).isZero();
        assertNothingMorePublished();
        assertThat(unsent()).isZero();
    }
}
