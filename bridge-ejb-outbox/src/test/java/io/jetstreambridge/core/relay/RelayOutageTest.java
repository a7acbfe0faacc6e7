package io.jetstreambridge.core.relay;

import static io.jetstreambridge.core.relay.RelaySetup.STREAM;
import static io.jetstreambridge.core.relay.RelaySetup.TABLE;
import static io.jetstreambridge.core.relay.RelaySetup.orders;
import static io.jetstreambridge.core.relay.RelaySetup.outboxDatabase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.config.OutboxSettings;
import io.jetstreambridge.core.outbox.JpaOutboxStore;
import io.jetstreambridge.core.outbox.NewOutboxEvent;
import io.jetstreambridge.core.outbox.OutboxDialect;
import io.jetstreambridge.core.outbox.OutboxStore;
import io.jetstreambridge.core.telemetry.BridgeTelemetry;
import io.jetstreambridge.core.transaction.Transactions;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.ProvisionedConnection;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * A NATS outage does not use up the rows' attempts: while the connection is not {@code CONNECTED} no round
 * publishes (nothing goes into jnats' reconnect buffer) and no attempt is counted, nor does "no responders". What
 * counts toward {@code outbox.relay.max-attempts}: a definite refusal by JetStream ("not stored"), and an ack that
 * does not come within {@code publish.ack-timeout} while connected (maybe stored: counting it bounds how long one
 * event id is reused by the retry span that the duplicate window must cover).
 */
class RelayOutageTest {

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private static JpaHarness jpa;
    private final OutboxStore store = new JpaOutboxStore(OutboxDialect.POSTGRESQL);
    private final Transactions transactions = jpa::inTransaction;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private Connection connection;
    private JetStreamManagement jsm;
    private BridgeConfig config;

    @BeforeAll
    static void database() {
        jpa = outboxDatabase("outage");
    }

    @AfterAll
    static void closeDatabase() {
        jpa.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        jpa.database().execute("DELETE FROM " + TABLE);
        config = orders(NATS)
                .set(ConfigKey.OUTBOX_RETRY_BACKOFF, "20ms")
                .set(ConfigKey.OUTBOX_MAX_ATTEMPTS, "2")
                .set(ConfigKey.NATS_RECONNECT_WAIT, "100ms")
                .build();
        connection = ProvisionedConnection.open(config);
        jsm = connection.jetStreamManagement();
    }

    @AfterEach
    void tearDown() throws Exception {
        scheduler.shutdownNow();
        connection.close();
    }

    private OutboxRelay relay() throws Exception {
        return new OutboxRelay(store, transactions, connection, STREAM, config.outbox(), Duration.ofMillis(300),
                1024, Clock.systemUTC(), "relay-1", RelayListener.NONE, BridgeTelemetry.NONE, null);
    }

    private void append(String prefix, int rows, String subject) {
        jpa.runInTransaction(em -> IntStream.range(0, rows).forEach(i -> store.append(em,
                new NewOutboxEvent(prefix + i, "order.created", "order", String.valueOf(i), subject,
                        "{\"event_type\":\"order.created\",\"payload\":{\"id\":" + i + "}}", Map.of()),
                Instant.now())));
    }

    private long count(String where) {
        return select("COUNT(*)", where);
    }

    private long select(String column, String where) {
        return jpa.database().queryForLong("SELECT " + column + " FROM " + TABLE + " WHERE " + where);
    }

    @Test
    void natsDownForManyMoreSweepsThanMaxAttemptsLeavesNoFailedRowAndEachRowStoredOnce() throws Exception {
        // jnats' own counters cannot be read while it reconnects (outgoingPendingMessageCount waits for the
        // reconnect lock): the JetStream context counts what the relay hands it while the connection is away
        AtomicInteger publishesWhileDown = new AtomicInteger();
        JetStream real = connection.jetStream();
        JetStream watched = (JetStream) Proxy.newProxyInstance(JetStream.class.getClassLoader(),
                new Class<?>[] {JetStream.class}, (proxy, method, args) -> {
                    if (method.getName().startsWith("publish")
                            && connection.getStatus() != Connection.Status.CONNECTED) {
                        publishesWhileDown.incrementAndGet();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        OutboxRelay relay = new OutboxRelay(store, transactions, watched, STREAM, config.outbox(),
                Duration.ofMillis(300), 1024, Clock.systemUTC(), "relay-1", RelayListener.NONE, BridgeTelemetry.NONE,
                null, true, () -> connection.getStatus() == Connection.Status.CONNECTED);
        append("before-", 20, "orders.sync.billing");
        NATS.server().stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> connection.getStatus() != Connection.Status.CONNECTED);
        append("during-", 20, "orders.sync.billing");

        // the sweeper's clock is read once per round: it counts the rounds
        AtomicInteger rounds = new AtomicInteger();
        Clock counting = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                rounds.incrementAndGet();
                return Instant.now();
            }
        };
        try (OutboxSweeper sweeper = new OutboxSweeper(relay, scheduler, Duration.ofMillis(20), counting).start()) {
            // max-attempts 2 with a 20 ms back-off: ten times that many rounds while NATS is away
            await().atMost(Duration.ofSeconds(60)).until(() -> rounds.get() >= 20);
            assertThat(count("attempts > 0 OR status <> 'pending'")).as("rows with attempts used up by the outage")
                    .isZero();
            assertThat(publishesWhileDown).as("publishes handed to jnats (its reconnect buffer) while disconnected")
                    .hasValue(0);

            NATS.server().restart();
            // every row sent and deleted (the default outbox.sent-rows)
            await().atMost(Duration.ofSeconds(30)).until(() -> count("1 = 1") == 0);
        }
        assertThat(count("status = 'failed'")).isZero();
        assertThat(jsm.getStreamInfo(STREAM).getStreamState().getMsgCount()).isEqualTo(40);
        Set<String> ids = new HashSet<>();
        for (long seq = 1; seq <= 40; seq++) {
            ids.add(jsm.getMessage(STREAM, seq).getHeaders().getFirst("Nats-Msg-Id"));
        }
        assertThat(ids).hasSize(40);
    }

    @Test
    void aRefusalByJetStreamCountsAnAttemptNotAnUnansweredPublish() throws Exception {
        // a stream that captures other.> : JetStream refuses it as not the expected stream (an API error)
        jsm.addStream(StreamConfiguration.builder().name("other").subjects("other.>").build());
        append("refused-", 1, "other.orders");
        append("unanswered-", 1, "nobody.listens"); // no stream: no responders, nothing refused it
        OutboxRelay relay = relay();

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            relay.sweep();
            return count("status = 'failed'") == 1 && count("event_id = 'unanswered-0' AND last_error IS NOT NULL"
                    + " AND next_attempt_at > created_at") == 1;
        });
        assertThat(count("event_id = 'refused-0' AND status = 'failed' AND attempts = 2")).isEqualTo(1);
        for (int i = 0; i < 5; i++) {
            relay.sweep();
        }
        assertThat(count("event_id = 'unanswered-0' AND status = 'pending' AND attempts = 0")).isEqualTo(1);
        jsm.deleteStream("other");
    }

    @Test
    void anAckThatNeverComesCountsEachAttemptUntilTheRowIsFailed() throws Exception {
        // connected to a real nats-server, but this JetStream context never acknowledges a publish: each one ends
        // in the relay's ack time-out, as when JetStream stores the message and the ack is lost
        AtomicInteger publishes = new AtomicInteger();
        JetStream real = connection.jetStream();
        JetStream silent = (JetStream) Proxy.newProxyInstance(JetStream.class.getClassLoader(),
                new Class<?>[] {JetStream.class}, (proxy, method, args) -> {
                    if (method.getName().equals("publishAsync")) {
                        publishes.incrementAndGet();
                        return new CompletableFuture<>();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        OutboxSettings outbox = orders(NATS).set(ConfigKey.OUTBOX_MAX_ATTEMPTS, "3")
                .set(ConfigKey.OUTBOX_RETRY_BACKOFF, "300ms").build().outbox();
        OutboxRelay relay = new OutboxRelay(store, transactions, silent, STREAM, outbox, Duration.ofMillis(200), 1024,
                Clock.systemUTC(), "relay-1", RelayListener.NONE, BridgeTelemetry.NONE, null, store.locksRows(),
                () -> connection.getStatus() == Connection.Status.CONNECTED);
        append("unacked-", 1, "orders.sync.billing");

        // each sweep waits for its round's acks (here: the time-out) and records the outcome before it returns
        Map<Integer, Long> attemptsAfterPublishes = new LinkedHashMap<>();
        try (LogCapture log = new LogCapture()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                relay.sweep();
                if (publishes.get() > 0) {
                    attemptsAfterPublishes.put(publishes.get(), select("attempts", "event_id = 'unacked-0'"));
                }
                return publishes.get() >= 3 && count("status <> 'pending'") == 1 || publishes.get() > 3;
            });
            assertThat(attemptsAfterPublishes).as("the row's attempts after each timed-out publish")
                    .containsExactly(entry(1, 1L), entry(2, 2L), entry(3, 3L));
            assertThat(log.lines()).filteredOn(line -> line.contains("JSB5013")).singleElement().asString()
                    .contains("(event unacked-0) is now 'failed' after 3", "may be in the stream");
        }
        assertThat(count("event_id = 'unacked-0' AND status = 'failed' AND attempts = 3"
                + " AND last_error LIKE '%TimeoutException%no ack from JetStream within 200 ms%'")).isEqualTo(1);
        for (int i = 0; i < 3; i++) {
            relay.sweep();
        }
        assertThat(publishes).as("publishes of a failed row").hasValue(3);
    }
}
