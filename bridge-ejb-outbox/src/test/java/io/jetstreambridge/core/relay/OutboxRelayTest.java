package io.jetstreambridge.core.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.config.OutboxSettings.SentRows;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.envelope.EnvelopeFactory;
import io.jetstreambridge.core.outbox.JpaOutboxStore;
import io.jetstreambridge.core.outbox.NewOutboxEvent;
import io.jetstreambridge.core.outbox.OutboxDialect;
import io.jetstreambridge.core.outbox.OutboxEvent;
import io.jetstreambridge.core.outbox.OutboxPublisher;
import io.jetstreambridge.core.outbox.OutboxRecord;
import io.jetstreambridge.core.outbox.OutboxStore;
import io.jetstreambridge.core.transaction.Transactions;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.core.connection.NatsConnector;
import io.jetstreambridge.core.publish.PayloadMapper;
import io.jetstreambridge.core.telemetry.BridgeTelemetry;
import io.jetstreambridge.core.topology.StreamProvisioner;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.jta.TestDatabase;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.spi.JsonProvider;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;

/** The outbox from publish to stream, on PostgreSQL and a real nats-server, without an application server. */
class OutboxRelayTest {

    private static final String STREAM = "jetstream-bridge-stream";

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private static JpaHarness jpa;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private Connection connection;
    private JetStreamManagement jsm;
    /** Keeps sent rows: these tests read what was relayed from the rows' status. */
    private final OutboxStore store = new JpaOutboxStore(OutboxDialect.POSTGRESQL, SentRows.KEEP);
    /** The default: rows JetStream acknowledged are deleted. */
    private final OutboxStore deleting = new JpaOutboxStore(OutboxDialect.POSTGRESQL);
    private final Transactions transactions = new Transactions() {
        @Override
        public <T> T inTransaction(Function<EntityManager, T> work) {
            return jpa.inTransaction(work);
        }
    };

    @BeforeAll
    static void database() {
        jpa = JpaHarness.builder().database(TestDatabase.postgres("relay")).entities(OutboxEvent.class)
                .ddlResource("db/jetstream-bridge/postgresql/V2__jetstream_bridge_outbox.sql")
                .ddlResource("db/jetstream-bridge/postgresql/V3__jetstream_bridge_outbox_indexes.sql")
                // outbox.ordering=resource reads the optional resource index (schema.md): without it the per-resource
                // claim scans every dead row the earlier tests' DELETEs left in this autovacuum-less server
                .ddlResource("db/jetstream-bridge-optional/postgresql/jetstream_bridge_outbox_resource_index.sql").start();
    }

    @AfterAll
    static void closeDatabase() {
        jpa.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        jpa.database().execute("DELETE FROM jetstream_bridge_outbox_events");
        BridgeConfig config = config(Map.of());
        connection = new NatsConnector(config.nats(), null).connect();
        jsm = connection.jetStreamManagement();
        new StreamProvisioner(jsm, config).provision();
    }

    @AfterEach
    void tearDown() throws Exception {
        executor.shutdownNow();
        connection.close();
    }

    private static BridgeConfig config(Map<String, String> extra) {
        Map<String, String> values = new HashMap<>(Map.of("jetstream.bridge.outbox.relay.grace-period", "0s",
                "jetstream.bridge.outbox.relay.lease", "1s", "jetstream.bridge.outbox.relay.retry-backoff", "200ms",
                "jetstream.bridge.nats.reconnect-wait", "100ms"));
        values.putAll(extra);
        BridgeConfig.Builder builder = BridgeConfig.builder().appName("orders").destinationApp("billing")
                .natsUrls(NATS.url()).set(ConfigKey.CONSUMER_ENABLED, "false");
        values.forEach(builder::set);
        return builder.build();
    }

    private OutboxRelay relay(BridgeConfig config, String owner, Transactions tx) throws Exception {
        return new OutboxRelay(store, tx, connection.jetStream(), STREAM, config.outbox(), Duration.ofSeconds(2),
                1024, Clock.systemUTC(), owner, RelayListener.NONE);
    }

    /** A relay that claims with leases (as on H2 and Derby) although PostgreSQL could hold row locks. */
    private OutboxRelay leasingRelay(BridgeConfig config, String owner, Transactions tx) throws Exception {
        return new OutboxRelay(store, tx, connection.jetStream(), STREAM, config.outbox(), Duration.ofSeconds(2),
                1024, Clock.systemUTC(), owner, RelayListener.NONE, BridgeTelemetry.NONE, null, false);
    }

    private OutboxPublisher publisher(BridgeConfig config, Consumer<List<OutboxRecord>> afterCommit) {
        JsonProvider json = JsonProvider.provider();
        return new OutboxPublisher(jpa.transactionSynchronizationRegistry(), transactions, jpa::entityManager, store,
                config.topology(), new EnvelopeFactory("orders", Clock.systemUTC()), new EnvelopeCodec(json),
                new PayloadMapper(JsonbBuilder.create(), json), afterCommit, Clock.systemUTC());
    }

    private long streamCount() throws Exception {
        return jsm.getStreamInfo(STREAM).getStreamState().getMsgCount();
    }

    private long rows(String status) {
        return jpa.database().queryForLong("SELECT COUNT(*) FROM jetstream_bridge_outbox_events WHERE status = ?",
                status);
    }

    private void inTransaction(Runnable work) throws Exception {
        jpa.userTransaction().begin();
        try {
            work.run();
            jpa.userTransaction().commit();
        } catch (RuntimeException e) {
            jpa.userTransaction().rollback();
            throw e;
        }
    }

    @Test
    void commitSendsExactlyOneMessageAndRollbackNeitherRowNorMessage() throws Exception {
        BridgeConfig config = config(Map.of());
        OutboxRelay relay = relay(config, "relay-1", transactions);
        OutboxPublisher publisher = publisher(config, ids -> executor.execute(() -> relay.relayCommitted(ids)));

        List<PublishResult> results = new ArrayList<>();
        inTransaction(() -> results.add(publisher.publish("order.created", Map.of("id", 1))));
        assertThat(results.get(0).outcome()).isEqualTo(PublishResult.Outcome.PENDING);
        await().atMost(Duration.ofSeconds(10)).until(() -> rows("sent") == 1);

        jpa.userTransaction().begin();
        publisher.publish("order.created", Map.of("id", 2));
        jpa.userTransaction().rollback();

        assertThat(relay.sweep()).isZero();
        assertThat(jpa.database().countRows("jetstream_bridge_outbox_events")).isEqualTo(1);
        assertThat(streamCount()).isEqualTo(1);
        assertThat(jsm.getMessage(STREAM, 1).getHeaders().getFirst("Nats-Msg-Id"))
                .isEqualTo(results.get(0).eventId());
    }

    @Test
    void theFastPathRelaysCommitsWaitingTogetherInOneRoundAndLeavesOverflowToTheSweeper() throws Exception {
        BridgeConfig config = config(Map.of("jetstream.bridge.outbox.relay.grace-period", "1h"));
        OutboxRelay relay = relay(config, "relay-fast", transactions);
        java.util.concurrent.BlockingQueue<Runnable> tasks = new java.util.concurrent.LinkedBlockingQueue<>();
        List<RuntimeException> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        FastPath fastPath = new FastPath(relay, tasks::add, 500, 25, failures::add);
        OutboxPublisher publisher = publisher(config, fastPath::committed);

        for (int i = 0; i < 30; i++) {
            int id = i;
            inTransaction(() -> publisher.publish("order.created", Map.of("id", id)));
        }
        // thirty commits while the executor was busy: one round was scheduled, the queue holds 25
        assertThat(tasks).hasSize(1);
        tasks.take().run();

        assertThat(rows("sent")).isEqualTo(25);
        assertThat(rows("pending")).isEqualTo(5); // beyond the queue: the sweeper's, after the grace period
        assertThat(streamCount()).isEqualTo(25);
        assertThat(tasks).isEmpty();
        assertThat(failures).isEmpty();

        inTransaction(() -> publisher.publish("order.created", Map.of("id", 31)));
        assertThat(tasks).hasSize(1);
        tasks.take().run();
        assertThat(rows("sent")).isEqualTo(26);
    }

    @Test
    void fourConcurrentWritersTenThousandEventsEachStoredOnce() throws Exception {
        BridgeConfig config = config(Map.of());
        OutboxRelay relay = relay(config, "relay-1", transactions);
        ExecutorService relayThreads = Executors.newFixedThreadPool(2);
        OutboxPublisher publisher = publisher(config, ids -> relayThreads.execute(() -> relay.relayCommitted(ids)));

        List<CompletableFuture<Void>> writers = IntStream.range(0, 4).mapToObj(w -> CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 2500; i++) {
                int n = w * 2500 + i;
                try {
                    inTransaction(() -> publisher.publish("order.created", Map.of("id", n)));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }, executor)).toList();
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get();

        // the fast path sends nearly everything; the sweeper's rounds (run here by the test) catch the rest
        await().atMost(Duration.ofMinutes(2)).until(() -> {
            relay.sweep();
            return rows("sent") == 10_000;
        });
        assertThat(streamCount()).isEqualTo(10_000);
        relayThreads.shutdownNow();
    }

    @Test
    void onPostgresqlARoundIsOneTransactionThatWritesNoLease() throws Exception {
        BridgeConfig config = config(Map.of());
        AtomicInteger transactionsUsed = new AtomicInteger();
        Transactions counting = new Transactions() {
            @Override
            public <T> T inTransaction(Function<EntityManager, T> work) {
                transactionsUsed.incrementAndGet();
                return jpa.inTransaction(work);
            }
        };
        List<OutboxRecord> rows = written(IntStream.range(0, 50).mapToObj(i -> newEvent("one-tx-" + i)).toList());

        assertThat(relay(config, "relay-1", counting).relayCommitted(rows)).isEqualTo(50);

        assertThat(transactionsUsed).hasValue(1);
        assertThat(rows("sent")).isEqualTo(50);
        assertThat(streamCount()).isEqualTo(50);
        assertThat(jpa.database().queryForLong("SELECT COUNT(*) FROM jetstream_bridge_outbox_events "
                + "WHERE claimed_by IS NOT NULL OR claimed_until IS NOT NULL")).isZero();
    }

    @Test
    void aRoundRolledBackAfterTheAcksLeavesItsRowsPendingAndTheirRepublishIsDropped() throws Exception {
        BridgeConfig config = config(Map.of());
        // the relay's process dies after JetStream acked the batch, before its transaction commits
        Transactions dying = new Transactions() {
            @Override
            public <T> T inTransaction(Function<EntityManager, T> work) {
                return jpa.inTransaction(em -> {
                    work.apply(em);
                    throw new IllegalStateException("relay process died before the commit");
                });
            }
        };
        jpa.runInTransaction(em -> IntStream.range(0, 200)
                .forEach(i -> store.append(em, newEvent("rolled-back-" + i), Instant.now())));

        assertThatThrownBy(() -> relay(config, "relay-dying", dying).sweep())
                .hasMessageContaining("died before the commit");
        assertThat(streamCount()).isEqualTo(200);
        assertThat(rows("pending")).isEqualTo(200);

        // no lease to wait for: the rollback freed the rows at once
        assertThat(relay(config, "relay-survivor", transactions).sweep()).isEqualTo(200);
        assertThat(rows("sent")).isEqualTo(200);
        assertThat(streamCount()).isEqualTo(200); // the second publishes were dropped by JetStream's dedupe
    }

    @Test
    void aLockedRoundDeletesItsRowsInTheTransactionThatClaimedThem() throws Exception {
        jpa.runInTransaction(em -> IntStream.range(0, 50)
                .forEach(i -> store.append(em, newEvent("gone-" + i), Instant.now())));
        List<List<Long>> insideAndOutside = new ArrayList<>();
        Transactions watching = new Transactions() {
            @Override
            public <T> T inTransaction(Function<EntityManager, T> work) {
                return jpa.inTransaction(em -> {
                    T result = work.apply(em);
                    long inside = ((Number) em.createNativeQuery(
                            "SELECT COUNT(*) FROM jetstream_bridge_outbox_events").getSingleResult()).longValue();
                    insideAndOutside.add(List.of(inside, jpa.database().countRows("jetstream_bridge_outbox_events")));
                    return result;
                });
            }
        };
        OutboxRelay relay = new OutboxRelay(deleting, watching, connection.jetStream(), STREAM,
                config(Map.of()).outbox(), Duration.ofSeconds(2), 1024, Clock.systemUTC(), "relay-1",
                RelayListener.NONE);

        assertThat(relay.sweep()).isEqualTo(50);

        // the round that claimed the rows deleted them before it committed: gone inside, still there outside
        assertThat(insideAndOutside.get(0)).containsExactly(0L, 50L);
        assertThat(jpa.database().countRows("jetstream_bridge_outbox_events")).isZero();
        assertThat(streamCount()).isEqualTo(50);
    }

    @Test
    void aLeasedRoundDeletesItsRowsInItsSecondTransaction() throws Exception {
        jpa.runInTransaction(em -> IntStream.range(0, 50)
                .forEach(i -> store.append(em, newEvent("leased-gone-" + i), Instant.now())));
        OutboxRelay relay = new OutboxRelay(deleting, transactions, connection.jetStream(), STREAM,
                config(Map.of()).outbox(), Duration.ofSeconds(2), 1024, Clock.systemUTC(), "relay-1",
                RelayListener.NONE, BridgeTelemetry.NONE, null, false);

        assertThat(relay.sweep()).isEqualTo(50);

        assertThat(jpa.database().countRows("jetstream_bridge_outbox_events")).isZero();
        assertThat(streamCount()).isEqualTo(50);
    }

    @Test
    void twoRelaysHoldingRowLocksNeverSendARowTwiceWhileBothRun() throws Exception {
        BridgeConfig config = config(Map.of("jetstream.bridge.outbox.relay.batch-size", "100"));
        jpa.runInTransaction(em -> IntStream.range(0, 5_000)
                .forEach(i -> store.append(em, newEvent("locked-" + i), Instant.now())));
        Map<String, Integer> relayedBy = new java.util.concurrent.ConcurrentHashMap<>();
        List<CompletableFuture<Integer>> relays = new ArrayList<>();
        for (String owner : List.of("relay-a", "relay-b")) {
            Transactions recording = new Transactions() {
                @Override
                public <T> T inTransaction(Function<EntityManager, T> work) {
                    return jpa.inTransaction(em -> {
                        T result = work.apply(em);
                        // the rows this round locked and is about to commit as sent: a row seen by both is a double
                        List<?> mine = em.createNativeQuery("SELECT event_id FROM jetstream_bridge_outbox_events "
                                + "WHERE status = 'sent' AND sent_at IS NOT NULL AND xmin = txid_current()::text::xid")
                                .getResultList();
                        mine.forEach(eventId -> relayedBy.merge((String) eventId, 1, Integer::sum));
                        return result;
                    });
                }
            };
            OutboxRelay relay = relay(config, owner, recording);
            relays.add(CompletableFuture.supplyAsync(relay::sweep, executor));
        }

        int a = relays.get(0).get();
        int b = relays.get(1).get();

        assertThat(a + b).isEqualTo(5_000);
        assertThat(a).as("both relays took part").isPositive();
        assertThat(b).as("both relays took part").isPositive();
        assertThat(relayedBy).hasSize(5_000);
        assertThat(relayedBy.values()).allMatch(times -> times == 1);
        assertThat(rows("sent")).isEqualTo(5_000);
        assertThat(streamCount()).isEqualTo(5_000);
    }

    @Test
    void aDrainOnTwoLanesSendsEveryRowOnceWithBothLanesTakingPart() throws Exception {
        BridgeConfig config = config(Map.of("jetstream.bridge.outbox.relay.batch-size", "100"));
        jpa.runInTransaction(em -> IntStream.range(0, 3_000)
                .forEach(i -> store.append(em, newEvent("lanes-" + i), Instant.now())));
        Map<String, Integer> sentByThread = new java.util.concurrent.ConcurrentHashMap<>();
        RelayListener recording = new RelayListener() {
            @Override
            public void relayed(int sent, int failed) {
                sentByThread.merge(Thread.currentThread().getName(), sent, Integer::sum);
            }
        };
        ExecutorService lane = Executors.newSingleThreadExecutor(task -> new Thread(task, "second-lane"));
        try {
            OutboxRelay relay = new OutboxRelay(store, transactions, connection.jetStream(), STREAM,
                    config.outbox(), Duration.ofSeconds(2), 1024, Clock.systemUTC(), "relay-1", recording,
                    BridgeTelemetry.NONE, lane);

            assertThat(relay.sweep()).isEqualTo(3_000);
        } finally {
            lane.shutdownNow();
        }
        assertThat(sentByThread).as("rows sent per lane").containsOnlyKeys("second-lane",
                Thread.currentThread().getName());
        assertThat(sentByThread.values()).as("both lanes took part").allMatch(sent -> sent > 0);
        assertThat(sentByThread.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(3_000);
        assertThat(rows("sent")).isEqualTo(3_000);
        assertThat(streamCount()).isEqualTo(3_000);
    }

    @Test
    void relayStoppedBetweenAckAndMarkingSentIsRepublishedAndDroppedAsDuplicate() throws Exception {
        BridgeConfig config = config(Map.of());
        AtomicBoolean crashOnMark = new AtomicBoolean(true);
        // the second transaction of a relay round is the one that marks rows sent
        Transactions crashing = new Transactions() {
            private int calls;

            @Override
            public synchronized <T> T inTransaction(Function<EntityManager, T> work) {
                if (++calls == 2 && crashOnMark.get()) {
                    throw new IllegalStateException("relay process died after the ack");
                }
                return jpa.inTransaction(work);
            }
        };
        OutboxRelay dying = leasingRelay(config, "relay-dying", crashing);
        List<OutboxRecord> rows = written(List.of(newEvent("crash-1")));

        try {
            dying.relayCommitted(rows);
        } catch (IllegalStateException expected) {
            // the row stays pending and leased by the dead relay
        }
        assertThat(streamCount()).isEqualTo(1);
        assertThat(rows("pending")).isEqualTo(1);

        OutboxRelay survivor = relay(config, "relay-survivor", transactions);
        await().atMost(Duration.ofSeconds(10)).until(() -> survivor.sweep() >= 0 && rows("sent") == 1);
        assertThat(streamCount()).isEqualTo(1); // the second publish was dropped by JetStream's dedupe
    }

    @Test
    void rowsTheFastPathNeverSawAreSweptAfterTheGracePeriod() throws Exception {
        BridgeConfig config = config(Map.of("jetstream.bridge.outbox.relay.grace-period", "1s"));
        OutboxRelay relay = relay(config, "relay-1", transactions);
        OutboxPublisher publisher = publisher(config, ids -> { }); // the relay died before it could publish
        inTransaction(() -> publisher.publish("order.created", Map.of("id", 3)));

        assertThat(relay.sweep()).as("still inside the grace period").isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> relay.sweep() == 1);
        assertThat(streamCount()).isEqualTo(1);
        assertThat(rows("sent")).isEqualTo(1);
    }

    @Test
    void twoRelaysDrainingTwentyThousandRowsStoreEachEventOnce() throws Exception {
        BridgeConfig config = config(Map.of("jetstream.bridge.outbox.relay.lease", "30s"));
        for (int batch = 0; batch < 20; batch++) {
            int from = batch * 1000;
            jpa.runInTransaction(em -> IntStream.range(from, from + 1000)
                    .forEach(i -> store.append(em, newEvent("bulk-" + i), Instant.now())));
        }
        OutboxRelay first = relay(config, "relay-a", transactions);
        OutboxRelay second = relay(config, "relay-b", transactions);

        CompletableFuture<Integer> a = CompletableFuture.supplyAsync(first::sweep, executor);
        CompletableFuture<Integer> b = CompletableFuture.supplyAsync(second::sweep, executor);

        assertThat(a.get() + b.get()).isEqualTo(20_000);
        assertThat(a.get()).as("both relays took part").isPositive();
        assertThat(b.get()).as("both relays took part").isPositive();
        assertThat(rows("sent")).isEqualTo(20_000);
        assertThat(streamCount()).isEqualTo(20_000);
    }

    @Test
    void natsDownForThirtySecondsDuringWritesNothingLostNothingDoubled() throws Exception {
        BridgeConfig config = config(Map.of("jetstream.bridge.outbox.relay.retry-backoff", "500ms",
                "jetstream.bridge.outbox.relay.max-attempts", "20"));
        OutboxRelay relay = relay(config, "relay-1", transactions);
        OutboxPublisher publisher = publisher(config, ids -> executor.execute(() -> relay.relayCommitted(ids)));
        var scheduler = Executors.newSingleThreadScheduledExecutor();
        try (OutboxSweeper sweeper = new OutboxSweeper(relay, scheduler, Duration.ofMillis(200), Clock.systemUTC())
                .start()) {
            NATS.server().stop();
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int written = 0;
            while (System.nanoTime() < until) { // the application keeps committing while NATS is away
                int n = written++;
                inTransaction(() -> publisher.publish("order.created", Map.of("id", n)));
            }
            assertThat(rows("sent")).isZero();
            NATS.server().restart();

            int expected = written;
            await().atMost(Duration.ofMinutes(1)).until(() -> rows("sent") == expected);
            assertThat(streamCount()).isEqualTo(expected);
            assertThat(rows("failed")).isZero();
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void perResourceOrderingHoldsUnderConcurrentWritersAndAFailingEventBlocksOnlyItsResource() throws Exception {
        BridgeConfig config = config(Map.of("jetstream.bridge.outbox.ordering", "resource"));
        OutboxRelay relay = relay(config, "relay-1", transactions);
        ExecutorService relayThreads = Executors.newFixedThreadPool(2);
        OutboxPublisher publisher = publisher(config, ids -> relayThreads.execute(() -> relay.relayCommitted(ids)));
        Connection reader = NATS.connect();
        var subscription = reader.subscribe("orders.sync.billing");
        reader.flush(Duration.ofSeconds(2));

        // resource 0's third event goes to a subject no stream takes: it keeps failing
        inTransaction(() -> {
            publisher.publish(OutgoingEvent.builder("order.updated", Map.of("id", 0, "seq", 0)).build());
            publisher.publish(OutgoingEvent.builder("order.updated", Map.of("id", 0, "seq", 1)).build());
            publisher.publish(OutgoingEvent.builder("order.updated", Map.of("id", 0, "seq", 2))
                    .subject("nobody.listens").build());
        });
        List<CompletableFuture<Void>> writers = IntStream.range(0, 4).mapToObj(w -> CompletableFuture.runAsync(() -> {
            for (int seq = 3; seq < 28; seq++) {
                for (int resource = w * 5; resource < w * 5 + 5; resource++) {
                    int r = resource;
                    int q = seq;
                    try {
                        inTransaction(() -> publisher.publish(OutgoingEvent.builder("order.updated",
                                Map.of("id", r, "seq", q)).build()));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }, executor)).toList();
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get();

        // 19 resources x 25 events flow; resource 0 stops before its failing third event
        await().atMost(Duration.ofMinutes(1)).until(() -> {
            relay.sweep();
            return rows("sent") == 19 * 25 + 2;
        });
        Map<Integer, List<Integer>> seen = new HashMap<>();
        for (int i = 0; i < 19 * 25 + 2; i++) {
            var message = subscription.nextMessage(Duration.ofSeconds(5));
            assertThat(message).as("message %d", i).isNotNull();
            var payload = jakarta.json.Json.createReader(new java.io.StringReader(
                    new String(message.getData(), java.nio.charset.StandardCharsets.UTF_8))).readObject()
                    .getJsonObject("payload");
            seen.computeIfAbsent(payload.getInt("id"), k -> new ArrayList<>()).add(payload.getInt("seq"));
        }
        seen.forEach((resource, order) -> assertThat(order).as("order of resource %d", resource).isSorted());
        assertThat(seen.get(0)).containsExactly(0, 1);
        assertThat(seen.keySet()).hasSize(20);
        assertThat(rows("pending")).isEqualTo(1 + 25); // the failing event and every later event of resource 0
        relayThreads.shutdownNow();
    }

    /** The events appended in one transaction, as the publisher hands them to the fast path after the commit. */
    private List<OutboxRecord> written(List<NewOutboxEvent> events) {
        List<LongSupplier> ids = jpa.inTransaction(em -> events.stream()
                .map(event -> store.append(em, event, Instant.now())).toList());
        return IntStream.range(0, events.size())
                .mapToObj(i -> OutboxRecord.written(ids.get(i).getAsLong(), events.get(i))).toList();
    }

    private static NewOutboxEvent newEvent(String eventId) {
        String body = "{\"event_id\":\"" + eventId + "\",\"schema_version\":1,\"event_type\":\"order.created\","
                + "\"producer\":\"orders\",\"resource_id\":\"1\",\"occurred_at\":\"2026-11-26T17:04:05Z\","
                + "\"trace_id\":\"00ff00ff00ff00ff\",\"resource_type\":\"order\",\"payload\":{\"id\":1}}";
        return new NewOutboxEvent(eventId, "order.created", "order", "1", "orders.sync.billing", body, Map.of());
    }
}
