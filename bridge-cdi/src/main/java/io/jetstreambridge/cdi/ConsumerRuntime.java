package io.jetstreambridge.cdi;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConsumerSettings;
import io.jetstreambridge.consume.EventType;
import io.jetstreambridge.consume.ResourceType;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.core.consume.ConsumerEngine;
import io.jetstreambridge.core.consume.DatabaseOutage;
import io.jetstreambridge.core.consume.DeadLetterPublisher;
import io.jetstreambridge.core.consume.FailureClassifier;
import io.jetstreambridge.core.consume.KeepAlive;
import io.jetstreambridge.core.consume.MaxDeliveriesWatch;
import io.jetstreambridge.core.consume.MessageProcessor;
import io.jetstreambridge.core.consume.PullConsumerEngine;
import io.jetstreambridge.core.consume.PushConsumerEngine;
import io.jetstreambridge.core.consume.TransactionalDelivery;
import io.jetstreambridge.core.consume.UnobservedEvents;
import io.jetstreambridge.core.inbox.InboxStore;
import io.jetstreambridge.core.retention.BatchedDeletion;
import io.jetstreambridge.core.telemetry.BridgeTelemetry;
import io.jetstreambridge.core.telemetry.ConsumerPending;
import io.jetstreambridge.core.transaction.JtaTransactions;
import io.nats.client.Connection;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import io.jetstreambridge.core.publish.PayloadMapper;
import jakarta.json.spi.JsonProvider;
import jakarta.persistence.EntityManager;
import jakarta.transaction.UserTransaction;

import java.io.IOException;
import java.time.Clock;
import java.util.HashSet;
import java.util.Optional;

/**
 * Runs the durable consumer for the application: once the application has started (see {@link #START_PRIORITY})
 * and the connection is up, each received event is fired as a CDI event, qualified with {@link EventType} and
 * {@link ResourceType}, inside a JTA transaction (with the inbox when it is on); stops with a bounded drain when
 * the application stops.
 */
@ApplicationScoped
public class ConsumerRuntime {

    @Inject
    BridgeConfig config;

    @Inject
    BridgeRuntime bridge;

    @Inject
    ManagedExecutors executors;

    @Inject
    BeanManager beans;

    @Inject
    Instance<UserTransaction> transactions;

    @Inject
    BridgeEntityManagers entityManagers;

    @Inject
    Instance<BridgeTelemetry> telemetries;

    @Inject
    PayloadMapping payloadMapping;

    private ConsumerEngine engine;
    private MaxDeliveriesWatch maxDeliveries;
    private java.util.concurrent.ScheduledFuture<?> retention;
    private BridgeTelemetry.Registration pendingGauge = BridgeTelemetry.Registration.NONE;

    /**
     * The consumer starts on CDI's {@link Startup} event, which the container fires after every
     * {@code @Initialized(ApplicationScoped.class)} observer has returned, and after the application's own
     * {@code Startup} observers too (a priority past every range the specification names; the default is 2500): a
     * schema migration the application runs at start-up is finished before the first event reaches an observer.
     */
    static final int START_PRIORITY = Interceptor.Priority.PLATFORM_AFTER + 1000;

    void onStart(@Observes @Priority(START_PRIORITY) Startup ignored) {
        if (config.consumer().enabled()) {
            bridge.whenConnected(this::start);
        }
    }

    /** The running engine, for health checks; empty when the consumer is off or not started yet. */
    public synchronized Optional<ConsumerEngine> engine() {
        return Optional.ofNullable(engine);
    }

    private synchronized void start(Connection connection) {
        if (engine != null) {
            return;
        }
        ConsumerSettings settings = config.consumer();
        JsonProvider json = JsonProvider.provider();
        PayloadMapper payloads = payloadMapping.mapper();
        BridgeTelemetry telemetry = BridgeTelemetryProducer.of(telemetries);
        UnobservedEvents unobserved = new UnobservedEvents(settings.unobservedEvents(), telemetry);
        QualifiedEvents events = new QualifiedEvents(beans.getEvent(),
                (event, qualifiers) -> !beans.resolveObserverMethods(event, qualifiers).isEmpty(),
                unobserved::handle);
        DatabaseOutage outage = config.inbox().enabled()
                ? new DatabaseOutage(config.topology().durableName(), inboxProbe(), DatabaseOutage.PROBE_INTERVAL)
                : DatabaseOutage.none();
        TransactionalDelivery delivery = new TransactionalDelivery(transactions.get(), events::fire,
                config.inbox().enabled() ? new InboxStore(Clock.systemUTC()) : null, entityManager(),
                settings.processingTimeout(), telemetry);
        DeadLetterPublisher deadLetters = new DeadLetterPublisher(jetStream(connection), config.topology(), json,
                Clock.systemUTC());
        MessageProcessor processor = new MessageProcessor(config.topology(), new EnvelopeCodec(json), delivery,
                new FailureClassifier(settings.maxDeliver(), settings.backoff(),
                        new HashSet<>(settings.unrecoverableExceptions())),
                deadLetters,
                payloads::fromJson,
                new KeepAlive(executors.scheduler(), KeepAlive.effectiveAckWait(settings),
                        settings.processingTimeout()), telemetry, outage);
        ConsumerEngine running = settings.mode() == ConsumerSettings.Mode.PUSH
                ? new PushConsumerEngine(connection, config.topology(), settings, processor,
                        executors.threadFactory(), Clock.systemUTC(), settings.drainTimeout())
                : new PullConsumerEngine(connection, config.topology(), settings, processor,
                        executors.threadFactory(), Clock.systemUTC(), settings.drainTimeout(),
                        config.autoProvision() ? bridge::reprovision : PullConsumerEngine.WAIT_FOR_CONSUMER);
        engine = outage.reportedOn(running).start();
        if (settings.maxDeliveriesWatch()) {
            maxDeliveries = watchMaxDeliveries(connection, deadLetters, json, telemetry);
        }
        if (config.autoProvision()) { // restricted mode makes no $JS.API call, consumer info included
            pendingGauge = telemetry.observeConsumerPending(new ConsumerPending(connection,
                    config.topology().stream(), config.topology().durableName()));
        }
        if (config.inbox().enabled()) {
            retention = executors.every(config.retention().interval(), this::deleteOldInboxRows);
        }
    }

    /** The safety net for messages the server gives up on; null when it cannot subscribe (logged). */
    private MaxDeliveriesWatch watchMaxDeliveries(Connection connection, DeadLetterPublisher deadLetters,
                                                  JsonProvider json, BridgeTelemetry telemetry) {
        try {
            return new MaxDeliveriesWatch(connection, config.topology(),
                    config.topology().dlqEnabled() ? deadLetters : null, new EnvelopeCodec(json), json, telemetry)
                    .start();
        } catch (IOException | RuntimeException e) {
            io.jetstreambridge.core.log.BridgeLog.maxDeliveriesFailed(config.topology().stream(), 0, e);
            return null;
        }
    }

    /** Retention: processed and failed inbox rows older than {@code inbox.retention}, in bounded batches. */
    void deleteOldInboxRows() {
        InboxStore store = new InboxStore(Clock.systemUTC());
        java.time.Instant before = Clock.systemUTC().instant().minus(config.retention().inbox());
        int batch = config.retention().batchSize();
        JtaTransactions tx = new JtaTransactions(transactions.get(), entityManager());
        try {
            BatchedDeletion.run(() -> tx.inTransaction(em -> store.deleteOld(em, before, batch)), batch);
        } catch (RuntimeException e) {
            java.util.logging.Logger.getLogger("io.jetstreambridge")
                    .warning(() -> "JSB4009: inbox clean-up failed, tried again later: " + e);
        }
    }

    /**
     * Whether the inbox's database answers: an update of no row of the inbox table by its key, in a transaction
     * of its own. JPQL, so every supported database takes it; an update, so no cache answers for it and no JPA
     * provider retries it (EclipseLink retries a failed read outside a database transaction for 15 s by default).
     */
    private DatabaseOutage.Probe inboxProbe() {
        JtaTransactions tx = new JtaTransactions(transactions.get(), entityManager());
        return () -> {
            try {
                tx.inTransaction(em -> em.createQuery(
                                "UPDATE InboxEvent e SET e.status = e.status WHERE e.eventId = :id")
                        .setParameter("id", "jetstream-bridge-probe").executeUpdate());
                return Optional.empty();
            } catch (RuntimeException e) {
                return Optional.of(e);
            }
        };
    }

    private java.util.function.Supplier<EntityManager> entityManager() {
        return config.inbox().enabled() ? entityManagers.require("jetstream.bridge.inbox.enabled") : null;
    }

    private static io.nats.client.JetStream jetStream(Connection connection) {
        try {
            return connection.jetStream();
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a JetStream context on the connection", e);
        }
    }

    /** Stops before any bean is destroyed, so the connection is still there while in-flight messages finish. */
    void onStop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object ignored) {
        stop();
    }

    @PreDestroy
    synchronized void stop() {
        pendingGauge.close();
        pendingGauge = BridgeTelemetry.Registration.NONE;
        if (retention != null) {
            retention.cancel(false);
            retention = null;
        }
        if (maxDeliveries != null) {
            maxDeliveries.close();
            maxDeliveries = null;
        }
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }
}
