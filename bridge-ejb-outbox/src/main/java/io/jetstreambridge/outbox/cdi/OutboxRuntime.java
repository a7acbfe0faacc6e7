package io.jetstreambridge.outbox.cdi;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.OutboxSettings;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.envelope.EnvelopeFactory;
import io.jetstreambridge.core.outbox.DatabaseDetection;
import io.jetstreambridge.core.outbox.JpaOutboxStore;
import io.jetstreambridge.core.outbox.OutboxMaintenance;
import io.jetstreambridge.core.outbox.OptionalIndexCheck;
import io.jetstreambridge.core.outbox.OutboxDialect;
import io.jetstreambridge.core.outbox.OutboxLog;
import io.jetstreambridge.core.outbox.OutboxPublisher;
import io.jetstreambridge.core.outbox.OutboxRecord;
import io.jetstreambridge.core.outbox.OutboxStore;
import io.jetstreambridge.core.outbox.StreamWindowCheck;
import io.jetstreambridge.core.transaction.Transactions;
import io.jetstreambridge.publish.Publisher;
import io.jetstreambridge.core.relay.FastPath;
import io.jetstreambridge.core.relay.OutboxRelay;
import io.jetstreambridge.core.relay.OutboxSweeper;
import io.jetstreambridge.core.relay.RelayListener;
import io.jetstreambridge.cdi.BridgeEntityManagers;
import io.jetstreambridge.cdi.BridgeRuntime;
import io.jetstreambridge.cdi.BridgeTelemetryProducer;
import io.jetstreambridge.cdi.ContainerResources;
import io.jetstreambridge.cdi.ManagedExecutors;
import io.jetstreambridge.cdi.PayloadMapping;
import io.jetstreambridge.cdi.TransactionalPublishing;
import io.jetstreambridge.core.retention.BatchedDeletion;
import io.jetstreambridge.core.telemetry.BridgeTelemetry;
import io.jetstreambridge.core.transaction.JtaTransactions;
import io.nats.client.Connection;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.spi.JsonProvider;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.UserTransaction;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Thin CDI adapter of the outbox: supplies the {@link OutboxPublisher} when the outbox is on, and runs the relay
 * (fast path after each commit, on the managed executor) and the sweeper (managed scheduled executor) once NATS is
 * connected. Everything it builds is a plain engine from the {@code outbox} and {@code relay} packages.
 */
@ApplicationScoped
public class OutboxRuntime implements TransactionalPublishing {

    /**
     * Committed rows waiting for the fast path at most (and at most {@link FastPath#DEFAULT_MAX_QUEUED_CHARS} of their
     * text); beyond, the sweeper publishes them after the grace period.
     */
    static final int FAST_PATH_MAX_QUEUED = 100_000;

    @Inject
    BridgeConfig config;

    @Inject
    BridgeRuntime bridge;

    @Inject
    ManagedExecutors executors;

    @Inject
    BridgeEntityManagers entityManagers;

    @Inject
    Instance<UserTransaction> userTransactions;

    @Inject
    Instance<TransactionSynchronizationRegistry> registries;

    @Inject
    Instance<BridgeTelemetry> telemetry;

    @Inject
    PayloadMapping payloads;

    private final String owner = "relay-" + UUID.randomUUID().toString().substring(0, 8);
    private volatile OutboxRelay relay;
    private volatile Connection relayConnection;
    private volatile FastPath fastPath;
    private OutboxSweeper sweeper;
    private java.util.concurrent.ScheduledFuture<?> retention;
    private OutboxStore store;
    private boolean leasesReleased;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        if (config.outbox().enabled()) {
            prepareStore();
            bridge.whenConnected(this::startRelay);
        }
    }

    @Override
    public Publisher publisher() {
        JsonProvider json = JsonProvider.provider();
        return OutboxPublisher.builder().registry(registry()).ownTransactions(transactions())
                .entityManager(entityManager()).store(store()).peers(config.peers())
                .envelopes(new EnvelopeFactory(config.appName(), Clock.systemUTC())).codec(new EnvelopeCodec(json))
                .payloads(payloads.mapper()).afterCommit(this::handOff).maxPayload(this::serverMaxPayload)
                .telemetry(BridgeTelemetryProducer.of(telemetry)).build();
    }

    /** The connected server's max_payload, 0 while no server has answered yet. */
    private long serverMaxPayload() {
        return bridge.currentConnection().map(connection -> connection.getServerInfo())
                .map(info -> info.getMaxPayload()).orElse(0L);
    }

    /** Runs in afterCompletion: only hands the rows to the executor, never calls application components. */
    private void handOff(List<OutboxRecord> rows) {
        FastPath ready = fastPath;
        // While NATS is away a fast-path round would wait out the ack timeout on a shared container thread (on
        // Liberty the one pool that also serves HTTP); the rows are safe in the table and the sweeper sends them.
        Connection connection = relayConnection;
        if (ready != null && !rows.isEmpty() && connection != null
                && connection.getStatus() == Connection.Status.CONNECTED) {
            ready.committed(rows);
        }
    }

    private synchronized void startRelay(Connection connection) {
        if (relay != null) {
            return;
        }
        if (!config.autoProvision()) {
            StreamWindowCheck.verify(connection, config); // the configured window was checked with the settings
        }
        relayConnection = connection;
        relay = OutboxRelay.builder().store(store()).transactions(transactions()).connection(connection)
                .stream(config.topology().stream()).settings(config.outbox())
                .ackTimeout(config.publish().ackTimeout()).window(config.publish().asyncWindow()).owner(owner)
                .telemetry(BridgeTelemetryProducer.of(telemetry)).secondLane(executors.executor()).build();
        fastPath = FastPath.builder().relay(relay).executor(executors.executor())
                .batchSize(config.outbox().batchSize()).maxQueued(FAST_PATH_MAX_QUEUED)
                .onFailure(OutboxLog::fastPathFailed).build();
        sweeper = new OutboxSweeper(relay, executors.scheduler(), config.outbox().pollInterval(), Clock.systemUTC())
                .start();
        if (config.outbox().sentRows() == OutboxSettings.SentRows.KEEP) {
            // with delete the relay removes its rows itself: nothing is left for a clean-up to find
            retention = executors.every(config.retention().interval(), this::deleteOldRows);
        }
    }

    /**
     * Retention with {@code outbox.sent-rows=keep}: sent rows older than {@code outbox.retention}, in bounded batches
     * of their own transaction.
     */
    void deleteOldRows() {
        java.time.Instant before = Clock.systemUTC().instant().minus(config.retention().outbox());
        int batch = config.retention().batchSize();
        try {
            BatchedDeletion.run(() -> inTransaction((store, em) -> store.deleteSent(em, before, batch)), batch);
        } catch (RuntimeException e) {
            OutboxLog.cleanUpFailed(e);
        }
    }

    /** Runs store work in a transaction of its own (operations, clean-up). */
    <T> T inTransaction(java.util.function.BiFunction<OutboxStore, EntityManager, T> work) {
        OutboxStore outbox = store();
        return transactions().inTransaction(em -> work.apply(outbox, em));
    }

    /** This instance's name in the lease columns. */
    String owner() {
        return owner;
    }

    /** The operators' engine over this application's outbox table (each call in a transaction of its own). */
    OutboxMaintenance maintenance() {
        return new OutboxMaintenance(store(), transactions(), Clock.systemUTC());
    }

    /** The sweeper, for health checks; empty until NATS is connected or when the outbox is off. */
    public synchronized Optional<OutboxSweeper> sweeper() {
        return Optional.ofNullable(sweeper);
    }

    /**
     * Tells the database now, from the database alone (a failure stops the start, naming the setting): with lazy
     * connect the relay starts only once NATS answers, and the first publish, inside the caller's transaction, must
     * not be the one to find out.
     */
    private void prepareStore() {
        OutboxStore ready = store();
        if (ready instanceof JpaOutboxStore jpa && "auto".equals(config.outbox().database())) {
            OutboxLog.databaseDetected(jpa.dialect().name().toLowerCase(java.util.Locale.ROOT));
        }
        checkOptionalIndexes();
    }

    /** Warns ({@code JSB5080}) when the settings read an index the outbox table lacks: {@link OptionalIndexCheck}. */
    private void checkOptionalIndexes() {
        OptionalIndexCheck.warnMissing(config.outbox(), transactions(),
                () -> registry().getTransactionStatus() == Status.STATUS_NO_TRANSACTION);
    }

    private synchronized OutboxStore store() {
        if (store == null) {
            store = new JpaOutboxStore(dialect(), config.outbox().sentRows());
        }
        return store;
    }

    /**
     * The configured dialect, or the detected one. Inside the caller's transaction (a publish from an application
     * start-up observer that ran before this bean's) it reads the caller's own connection: JTA has no nested
     * transactions, and the bridge never begins, ends or marks a transaction it did not begin.
     */
    private OutboxDialect dialect() {
        if (!"auto".equals(config.outbox().database())) {
            return OutboxDialect.named(config.outbox().database());
        }
        if (registry().getTransactionStatus() != Status.STATUS_NO_TRANSACTION) {
            return DatabaseDetection.dialectOf(entityManager().get());
        }
        return transactions().inTransaction(DatabaseDetection::dialectOf);
    }

    private Transactions transactions() {
        return new JtaTransactions(userTransactions.get(), entityManager());
    }

    private Supplier<EntityManager> entityManager() {
        return entityManagers.require("jetstream.bridge.outbox.enabled");
    }

    private TransactionSynchronizationRegistry registry() {
        return ContainerResources.transactionSynchronizationRegistry(registries);
    }

    void onStop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object ignored) {
        stop();
    }

    /**
     * Stops the rounds (sweeper, clean-up, new fast-path rounds), then releases the leases this instance still
     * holds, so another instance publishes those rows now rather than after the lease. A round still running may
     * then be published twice, with the same {@code Nats-Msg-Id}, which the stream's duplicate window drops.
     */
    @PreDestroy
    synchronized void stop() {
        if (retention != null) {
            retention.cancel(false);
            retention = null;
        }
        if (sweeper != null) {
            sweeper.close();
            sweeper = null;
        }
        fastPath = null;
        releaseLeases();
    }

    private void releaseLeases() {
        if (store == null || leasesReleased) {
            return;
        }
        leasesReleased = true;
        try {
            int released = inTransaction((outbox, em) -> outbox.release(em, owner));
            if (released > 0) {
                OutboxLog.leasesReleased(released, owner);
            }
        } catch (RuntimeException e) {
            OutboxLog.releaseFailed(owner, e);
        }
    }
}
