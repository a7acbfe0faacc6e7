package io.jetstreambridge.reliability;

import static org.awaitility.Awaitility.await;

import io.jetstreambridge.core.connection.JetStreamErrors;
import io.jetstreambridge.reliability.app.BenchSchema;
import io.jetstreambridge.testing.jta.PrivatePostgres;
import io.jetstreambridge.testing.jta.TestDatabase;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamInfoOptions;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One measured run: a publishing application ({@code orders}, outbox on) and a consuming one ({@code billing},
 * inbox on), each in its own JVM, against the NATS servers and the PostgreSQL schema of the run; and the ledger
 * that counts what they did from the database. Close it to stop every application and drop the schema.
 */
final class Pipeline implements AutoCloseable {

    static final String STREAM = "jetstream-bridge-stream";
    static final String PUBLISHER_APP = "orders";
    static final String CONSUMER_APP = "billing";
    static final String DURABLE = CONSUMER_APP + "-workers";
    static final String DLQ_SUBJECT = CONSUMER_APP + ".sync.dlq";


    /**
     * The fault suite's short timings, which make a fault's effects and the recovery quick to see; with
     * {@link Builder#libraryTimings()} the applications run on the library's defaults for them instead. The consumer's
     * backoff matters most under load: its first step (200 ms here, 1 s by default) is the ack wait the keep-alive
     * must beat, so it sends an in-progress ack for every message of a batch every 100 ms.
     */
    static final List<String> FAULT_TIMINGS = List.of("jetstream.bridge.nats.reconnect-wait",
            "jetstream.bridge.publish.ack-timeout", "jetstream.bridge.outbox.relay.poll-interval",
            "jetstream.bridge.outbox.relay.grace-period", "jetstream.bridge.outbox.relay.lease",
            "jetstream.bridge.outbox.relay.max-attempts", "jetstream.bridge.consumer.ack-wait",
            "jetstream.bridge.consumer.backoff");

    private final String natsUrls;
    private final Map<String, String> natsSettings;
    private final Options.Builder monitorOptions;
    private final TestDatabase publisherDb;
    /** How the suite reaches its PostgreSQL, passed on to the applications that work on the run's schema. */
    private final Map<String, String> suiteDatabase;
    private final SqlSource consumerDb;
    private final Map<String, String> consumerDbProperties;
    private final Path dir;
    private final List<String> jvmOptions;
    private final boolean libraryTimings;
    private final List<AppProcess> apps = new ArrayList<>();
    private final List<AppProcess> publishers = new ArrayList<>();
    private Connection monitor;

    /** Where the consumer's database is: the run's schema, unless a test gives it another one (F5). */
    interface SqlSource {
        java.sql.Connection open() throws SQLException;
    }

    private Pipeline(Builder builder) {
        this.natsUrls = builder.natsUrls;
        this.natsSettings = Map.copyOf(builder.natsSettings);
        this.monitorOptions = builder.monitorOptions;
        this.dir = createRunDirectory(builder.name);
        this.jvmOptions = builder.jvmOptions;
        this.libraryTimings = builder.libraryTimings;
        if (builder.ownPostgres != null) {
            this.publisherDb = TestDatabase.postgresIn(builder.ownPostgres, builder.name);
            this.suiteDatabase = Map.of("jsb.test.postgres.host", "127.0.0.1",
                    "jsb.test.postgres.port", String.valueOf(builder.ownPostgres.port()),
                    "jsb.test.postgres.database", "postgres", "jsb.test.postgres.user", "postgres",
                    "jsb.test.postgres.password", "");
        } else {
            this.publisherDb = TestDatabase.postgres(builder.name);
            this.suiteDatabase = suitePostgresSettings();
        }
        for (String resource : BenchSchema.BRIDGE_DDL) {
            publisherDb.runScriptResource(resource);
        }
        publisherDb.runScript(BenchSchema.DDL);
        if (builder.consumerDb != null) {
            this.consumerDb = builder.consumerDb;
            this.consumerDbProperties = Map.copyOf(builder.consumerDbProperties);
        } else {
            this.consumerDb = publisherDb::openConnection;
            Map<String, String> sameDatabase = new LinkedHashMap<>(suiteDatabase);
            sameDatabase.put("fault.schema", publisherDb.schema());
            this.consumerDbProperties = Map.copyOf(sameDatabase);
        }
    }

    /**
     * The {@code jsb.test.postgres.*} system properties of the suite's JVM (README: pointing the tests at another
     * PostgreSQL), which the application JVMs need to find the run's schema on the same server.
     */
    private static Map<String, String> suitePostgresSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        System.getProperties().stringPropertyNames().stream()
                .filter(name -> name.startsWith("jsb.test.postgres."))
                .forEach(name -> settings.put(name, System.getProperty(name)));
        return Map.copyOf(settings);
    }

    static Builder builder(String name, String natsUrls) {
        return new Builder(name, natsUrls);
    }

    private static Path createRunDirectory(String name) {
        Path path = Path.of("target", "faults", name + "-" + System.currentTimeMillis()).toAbsolutePath();
        try {
            return Files.createDirectories(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path directory() {
        return dir;
    }

    TestDatabase publisherDatabase() {
        return publisherDb;
    }

    // ------------------------------------------------------------------------------------------ applications

    /** Settings of the publishing application; {@code extra} wins. */
    Map<String, String> publisherSettings(String prefix, int orders, Map<String, String> extra) {
        Map<String, String> settings = new LinkedHashMap<>(bridge(PUBLISHER_APP, CONSUMER_APP));
        settings.put("fault.role", "publisher");
        settings.putAll(suiteDatabase);
        settings.put("fault.schema", publisherDb.schema());
        settings.put("fault.prefix", prefix);
        settings.put("fault.orders", String.valueOf(orders));
        settings.put("jetstream.bridge.consumer.enabled", "false");
        settings.put("jetstream.bridge.outbox.enabled", "true");
        settings.put("jetstream.bridge.outbox.relay.poll-interval", "500ms");
        settings.put("jetstream.bridge.outbox.relay.grace-period", "3s");
        settings.put("jetstream.bridge.outbox.relay.lease", "10s");
        settings.put("jetstream.bridge.outbox.relay.max-attempts", "30");
        dropFaultTimings(settings);
        settings.putAll(extra);
        return settings;
    }

    /** Settings of the consuming application; {@code extra} wins. */
    Map<String, String> consumerSettings(String instance, Map<String, String> extra) {
        Map<String, String> settings = new LinkedHashMap<>(bridge(CONSUMER_APP, PUBLISHER_APP));
        settings.put("fault.role", "consumer");
        settings.put("fault.instance", instance);
        settings.putAll(consumerDbProperties);
        settings.put("jetstream.bridge.inbox.enabled", "true");
        settings.put("jetstream.bridge.consumer.concurrency", "2");
        settings.put("jetstream.bridge.consumer.batch-size", "50");
        settings.put("jetstream.bridge.consumer.fetch-timeout", "500ms");
        settings.put("jetstream.bridge.consumer.ack-wait", "5s");
        settings.put("jetstream.bridge.consumer.backoff", "200ms,500ms,1s,2s");
        dropFaultTimings(settings);
        settings.putAll(extra);
        return settings;
    }

    private void dropFaultTimings(Map<String, String> settings) {
        if (libraryTimings) {
            settings.keySet().removeAll(FAULT_TIMINGS);
        }
    }

    private Map<String, String> bridge(String app, String destination) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("jetstream.bridge.app-name", app);
        settings.put("jetstream.bridge.destination-app", destination);
        settings.put("jetstream.bridge.nats.urls", natsUrls);
        settings.put("jetstream.bridge.nats.reconnect-wait", "250ms");
        settings.put("jetstream.bridge.publish.ack-timeout", "2s");
        // the publisher's 30 outbox attempts span about 2 hours; both applications provision the same window
        settings.put("jetstream.bridge.stream.duplicate-window", "3h");
        settings.putAll(natsSettings);
        return settings;
    }

    AppProcess startPublisher(String name, String prefix, int orders, Map<String, String> extra) {
        Map<String, String> settings = new LinkedHashMap<>(Map.of("fault.rate",
                String.valueOf(FaultScale.current().rate())));
        settings.putAll(extra);
        AppProcess publisher = track(AppProcess.start(name, publisherSettings(prefix, orders, settings), jvmOptions,
                dir));
        publishers.add(publisher);
        return publisher;
    }

    AppProcess startConsumer(String name, Map<String, String> extra) {
        return track(AppProcess.start(name, consumerSettings(name, extra), jvmOptions, dir));
    }

    private AppProcess track(AppProcess app) {
        apps.add(app);
        return app;
    }

    // ------------------------------------------------------------------------------------------ ledger

    long committed() {
        return count(publisherDb::openConnection, "SELECT COUNT(*) FROM bench_orders");
    }

    long observedRows() {
        return count(consumerDb, "SELECT COUNT(*) FROM observed");
    }

    long unsentOutboxRows() {
        return count(publisherDb::openConnection,
                "SELECT COUNT(*) FROM jetstream_bridge_outbox_events WHERE status <> 'sent'");
    }

    /** Messages of the durable not yet acked (pending plus in flight), or -1 while NATS does not answer. */
    long consumerBacklog() {
        try {
            ConsumerInfo info = jsm().getConsumerInfo(STREAM, DURABLE);
            return info.getNumPending() + info.getNumAckPending();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Copies in the consumer's dead-letter subject (0 without a stream), or -1 while NATS does not answer. */
    long deadLettered() {
        try {
            Long count = jsm().getStreamInfo(STREAM, StreamInfoOptions.filterSubjects(DLQ_SUBJECT))
                    .getStreamState().getSubjectMap().get(DLQ_SUBJECT);
            return count == null ? 0 : count;
        } catch (JetStreamApiException e) {
            return JetStreamErrors.is(e, JetStreamErrors.STREAM_NOT_FOUND) ? 0 : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * Messages still in the stream on the subject the consumer reads: the stream is a work queue, so every message
     * the consumer acked (processed, skipped as a duplicate, or dead-lettered) is gone; what stays was never
     * acked. -1 while NATS does not answer.
     */
    long unackedInStream() {
        String subject = PUBLISHER_APP + ".sync." + CONSUMER_APP;
        try {
            Long count = jsm().getStreamInfo(STREAM, StreamInfoOptions.filterSubjects(subject))
                    .getStreamState().getSubjectMap().get(subject);
            return count == null ? 0 : count;
        } catch (Exception e) {
            return -1;
        }
    }

    /** The stream sequences of the messages that are still there (never acked), for failure messages. */
    List<Long> unackedSequences() throws Exception {
        List<Long> sequences = new ArrayList<>();
        long sequence = 1;
        while (true) {
            MessageInfo message;
            try {
                message = jsm().getNextMessage(STREAM, sequence, PUBLISHER_APP + ".sync." + CONSUMER_APP);
            } catch (JetStreamApiException e) {
                return sequences;
            }
            sequences.add(message.getSeq());
            sequence = message.getSeq() + 1;
        }
    }

    /**
     * The reason header of every message in the dead-letter subject. Read with direct gets by subject: the stream
     * is a work queue, where a consumer would take the messages away.
     */
    List<String> deadLetterReasons() throws Exception {
        List<String> reasons = new ArrayList<>();
        long sequence = 1;
        while (true) {
            MessageInfo message;
            try {
                message = jsm().getNextMessage(STREAM, sequence, DLQ_SUBJECT);
            } catch (JetStreamApiException e) {
                return reasons; // no message at or after this sequence
            }
            reasons.add(message.getHeaders().getFirst("x-dlq-reason"));
            sequence = message.getSeq() + 1;
        }
    }

    synchronized JetStreamManagement jsm() throws IOException {
        if (monitor == null) {
            try {
                monitor = Nats.connect(monitorOptions.servers(natsUrls.split(",")).maxReconnects(-1)
                        .reconnectWait(Duration.ofMillis(200)).connectionTimeout(Duration.ofSeconds(2)).build());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        return monitor.jetStreamManagement();
    }

    synchronized Connection natsConnection() throws IOException {
        jsm();
        return monitor;
    }

    /** Order ids the publisher committed. */
    Set<String> committedIds() {
        return ids(publisherDb::openConnection, "SELECT id FROM bench_orders");
    }

    Set<String> rolledBackIds() {
        return ids(publisherDb::openConnection, "SELECT id FROM bench_rollbacks");
    }

    /** Effects per order id. */
    Map<String, Integer> effects() {
        Map<String, Integer> effects = new HashMap<>();
        try (java.sql.Connection connection = consumerDb.open();
             PreparedStatement query = connection.prepareStatement("SELECT order_id FROM observed");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                effects.merge(rows.getString(1), 1, Integer::sum);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the effects", e);
        }
        return effects;
    }

    /**
     * Waits until every running publisher has finished, every committed event that should be observed is, the
     * outbox has sent everything and the durable has nothing left; then counts. A timeout is not an error here: the counts say what is missing.
     *
     * @param neverObserved committed orders that must not be observed (poison ones, which go to the DLQ)
     */
    Tally settle(Duration atMost, Predicate<String> neverObserved) {
        String why = null;
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(500)).until(() -> {
                if (!publishersDone()) {
                    return false;
                }
                Tally now = tally(neverObserved);
                return now.lost() == 0 && unsentOutboxRows() == 0 && consumerBacklog() == 0;
            });
            // anything still on its way (a redelivery after the ack wait) would change the counts: none may
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30))
                    .until(() -> consumerBacklog() == 0 && unsentOutboxRows() == 0);
        } catch (ConditionTimeoutException e) {
            why = "did not settle within " + atMost + ": backlog " + consumerBacklog() + ", unsent outbox rows "
                    + unsentOutboxRows();
        }
        Tally tally = tally(neverObserved);
        return why == null ? tally : tally.withProblem(why);
    }

    /** Every running publisher has committed all its business transactions (its output says so). */
    boolean publishersDone() {
        return publishers.stream().filter(AppProcess::isAlive)
                .allMatch(app -> app.currentLog().contains("FAULT-APP published"));
    }

    Tally tally(Predicate<String> neverObserved) {
        Set<String> committed = committedIds();
        Set<String> rolledBack = rolledBackIds();
        Map<String, Integer> effects = effects();
        Set<String> lost = new HashSet<>();
        for (String id : committed) {
            if (!neverObserved.test(id) && !effects.containsKey(id)) {
                lost.add(id);
            }
        }
        long doubled = effects.values().stream().mapToLong(n -> n - 1L).sum();
        Set<String> phantoms = new HashSet<>();
        effects.keySet().stream().filter(id -> rolledBack.contains(id) || !committed.contains(id)
                || neverObserved.test(id)).forEach(phantoms::add);
        return new Tally(committed.size(), rolledBack.size(), effects.size(), lost, doubled, phantoms,
                deadLettered(), null);
    }

    private static long count(SqlSource source, String sql) {
        try (java.sql.Connection connection = source.open();
             PreparedStatement query = connection.prepareStatement(sql);
             ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run " + sql, e);
        }
    }

    private static Set<String> ids(SqlSource source, String sql) {
        Set<String> ids = new HashSet<>();
        try (java.sql.Connection connection = source.open();
             PreparedStatement query = connection.prepareStatement(sql);
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run " + sql, e);
        }
        return ids;
    }

    /** The last lines of every application's output, for failure messages. */
    String logs() {
        StringBuilder text = new StringBuilder();
        apps.forEach(app -> text.append("\n---- ").append(app.name()).append(" ----\n").append(app.logTail()));
        return text.toString();
    }

    @Override
    public void close() {
        apps.forEach(AppProcess::stop);
        synchronized (this) {
            if (monitor != null) {
                try {
                    monitor.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        publisherDb.close();
    }

    /** What the ledger counted. */
    record Tally(long committed, long rolledBack, long observed, Set<String> lostIds, long doubled,
                 Set<String> phantomIds, long deadLettered, String problem) {

        long lost() {
            return lostIds.size();
        }

        Tally withProblem(String why) {
            return new Tally(committed, rolledBack, observed, lostIds, doubled, phantomIds, deadLettered, why);
        }

        FaultRow row(String id, String fault, String recovery, String notes) {
            return new FaultRow(id, fault, committed, rolledBack, observed, lost(), doubled, phantomIds.size(),
                    deadLettered, recovery, notes + (problem == null ? "" : " **" + problem + "**"));
        }

        String describe() {
            return "committed " + committed + ", observed " + observed + ", lost " + lost() + " "
                    + lostIds.stream().limit(10).toList() + ", doubled " + doubled + ", rolled back but observed "
                    + phantomIds.stream().limit(10).toList() + (problem == null ? "" : ", " + problem);
        }
    }

    static final class Builder {
        private final String name;
        private final String natsUrls;
        private final Map<String, String> natsSettings = new LinkedHashMap<>();
        private Options.Builder monitorOptions = new Options.Builder();
        private SqlSource consumerDb;
        private final Map<String, String> consumerDbProperties = new LinkedHashMap<>();
        private PrivatePostgres ownPostgres;
        private List<String> jvmOptions = AppProcess.QUICK_START;
        private boolean libraryTimings;

        private Builder(String name, String natsUrls) {
            this.name = name;
            this.natsUrls = natsUrls;
        }

        /** Bridge settings both applications get (TLS, credentials). */
        Builder natsSettings(Map<String, String> settings) {
            natsSettings.putAll(settings);
            return this;
        }

        /** How the suite's own monitoring connection authenticates. */
        Builder monitorOptions(Options.Builder options) {
            this.monitorOptions = options;
            return this;
        }

        /** The consumer's database elsewhere: how to read it, and the properties its JVM needs. */
        Builder consumerDatabase(SqlSource source, Map<String, String> properties) {
            this.consumerDb = source;
            this.consumerDbProperties.putAll(properties);
            return this;
        }

        /**
         * Both applications' schema in a PostgreSQL cluster of the run's own instead of the local server, so that
         * all of that cluster's CPU is the run's (the scaling run).
         */
        Builder database(PrivatePostgres postgres) {
            this.ownPostgres = postgres;
            return this;
        }

        /** The applications' JVM options instead of {@link AppProcess#QUICK_START}. */
        Builder jvmOptions(List<String> options) {
            this.jvmOptions = List.copyOf(options);
            return this;
        }

        /**
         * The library's defaults instead of the fault suite's short timings ({@link #FAULT_TIMINGS}): the scaling
         * run, which checks the bench's costs, taken with the defaults.
         */
        Builder libraryTimings() {
            this.libraryTimings = true;
            return this;
        }

        Pipeline start() {
            return new Pipeline(this);
        }
    }
}
