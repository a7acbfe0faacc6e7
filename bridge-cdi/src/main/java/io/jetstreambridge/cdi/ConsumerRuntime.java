package io.jetstreambridge.cdi;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConsumerSettings;
import io.jetstreambridge.consume.EventType;
import io.jetstreambridge.consume.ResourceType;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.core.consume.ConsumerEngine;
import io.jetstreambridge.core.consume.DatabaseOutage;
import io.jetstreambridge.core.deadletter.DeadLetterPublisher;
import io.jetstreambridge.core.consume.FailureClassifier;
import io.jetstreambridge.core.consume.KeepAlive;
import io.jetstreambridge.core.consume.MaxDeliveriesWatch;
import io.jetstreambridge.core.consume.MessageProcessor;
import io.jetstreambridge.core.consume.PullConsumerEngine;
import io.jetstreambridge.core.consume.TransactionalDelivery;
import io.jetstreambridge.core.consume.UnobservedEvents;
import io.jetstreambridge.core.inbox.InboxStore;
import io.jetstreambridge.core.retention.BatchedDeletion;
import io.jetstreambridge.core.telemetry.BridgeTelemetry;
import io.jetstreambridge.core.telemetry.ConsumerPending;
import io.jetstreambridge.core.transaction.JtaTransactions;
import io.jetstreambridge.topology.Topology;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the application's durable consumers, one per peer: once the application has started (see
 * {@link #START_PRIORITY}) and the connection is up, each received event, whichever peer sent it, is fired as a CDI
 * event, qualified with {@link EventType} and
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

    private final Map<String, ConsumerEngine> engines = new LinkedHashMap<>();
    private final List<MaxDeliveriesWatch> maxDeliveries = new ArrayList<>();
    private final List<BridgeTelemetry.Registration> pendingGauges = new ArrayList<>();
    private java.util.concurrent.ScheduledFuture<?> retention;

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

    /**
     * The running engines by durable name, one per peer in the configured order (the primary peer's first), for
     * health checks and the admin resource; empty when the consumer is off or not started yet.
     */
    public synchronized Map<String, ConsumerEngine> engines() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(engines));
    }

    /**
     * One engine per peer ({@code config.peers()}), each on its own durable with its own {@code consumer.concurrency}
     * workers: a pull fetch blocks on one durable, so workers shared across durables would leave one peer's messages
     * waiting while they wait on the other's. Everything after the fetch is shared: the observers, the transactional
     * delivery with its inbox, the failure rules, the keep-alive sweep and the database outage. The outage is one
     * for all engines because their database is one: when it stops answering, every engine's workers hold at once,
     * instead of each engine first failing a message of its own to find out, and one probe (not one per engine)
     * asks it whether it answers again. Closing any engine closes that outage too (ending its waits): the runtime
     * only ever closes them all together.
     */
    private synchronized void start(Connection connection) {
        if (!engines.isEmpty()) {
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
        List<Topology> peers = config.peers().topologies();
        DatabaseOutage outage = config.inbox().enabled()
                ? new DatabaseOutage(String.join(", ", durables(peers)), inboxProbe(), DatabaseOutage.PROBE_INTERVAL)
                : DatabaseOutage.none();
        TransactionalDelivery.Builder delivery = TransactionalDelivery.builder()
                .transactions(config.inbox().enabled() ? new JtaTransactions(transactions.get(), entityManager())
                        : JtaTransactions.withoutEntityManager(transactions.get()))
                .observers(events::fire)
                .processingTimeout(settings.processingTimeout())
                .telemetry(telemetry);
        if (config.inbox().enabled()) {
            delivery.inbox(new InboxStore(Clock.systemUTC()));
        }
        TransactionalDelivery handler = delivery.build();
        FailureClassifier classifier = new FailureClassifier(settings.maxDeliver(), settings.backoff(),
                new HashSet<>(settings.unrecoverableExceptions()));
        KeepAlive keepAlive = new KeepAlive(executors.scheduler(), KeepAlive.effectiveAckWait(settings),
                settings.processingTimeout());
        for (Topology topology : peers) {
            // one per peer: its x-dlq-context names the durable the message came through
            DeadLetterPublisher deadLetters = new DeadLetterPublisher(jetStream(connection), topology, json,
                    Clock.systemUTC());
            MessageProcessor processor = MessageProcessor.builder()
                    .topology(topology)
                    .codec(new EnvelopeCodec(json))
                    .handler(handler)
                    .classifier(classifier)
                    .deadLetters(deadLetters)
                    .payloadReader(payloads::fromJson)
                    .keepAlive(keepAlive)
                    .telemetry(telemetry)
                    .outage(outage)
                    .build();
            ConsumerEngine running = ConsumerEngine.builder()
                    .connection(connection)
                    .topology(topology)
                    .settings(settings)
                    .processor(processor)
                    .threads(executors.threadFactory())
                    .recreateConsumer(config.autoProvision() ? bridge::reprovision
                            : PullConsumerEngine.WAIT_FOR_CONSUMER)
                    .build();
            engines.put(topology.durableName(), outage.reportedOn(running).start());
            if (settings.maxDeliveriesWatch()) {
                watchMaxDeliveries(connection, topology, deadLetters, json, telemetry).ifPresent(maxDeliveries::add);
            }
            if (config.autoProvision()) { // restricted mode makes no $JS.API call, consumer info included
                pendingGauges.add(telemetry.observeConsumerPending(topology.durableName(),
                        new ConsumerPending(connection, topology.stream(), topology.durableName())));
            }
        }
        if (config.inbox().enabled()) {
            retention = executors.every(config.retention().interval(), this::deleteOldInboxRows);
        }
    }

    private static List<String> durables(List<Topology> peers) {
        return peers.stream().map(Topology::durableName).toList();
    }

    /** The safety net for messages the server gives up on, one per durable; empty when it cannot subscribe (logged). */
    private Optional<MaxDeliveriesWatch> watchMaxDeliveries(Connection connection, Topology topology,
                                                            DeadLetterPublisher deadLetters, JsonProvider json,
                                                            BridgeTelemetry telemetry) {
        try {
            return Optional.of(new MaxDeliveriesWatch(connection, topology, topology.dlqEnabled() ? deadLetters : null,
                    new EnvelopeCodec(json), json, telemetry).start());
        } catch (IOException | RuntimeException e) {
            io.jetstreambridge.core.log.BridgeLog.maxDeliveriesFailed(topology.stream(), 0, e);
            return Optional.empty();
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
        pendingGauges.forEach(BridgeTelemetry.Registration::close);
        pendingGauges.clear();
        if (retention != null) {
            retention.cancel(false);
            retention = null;
        }
        maxDeliveries.forEach(MaxDeliveriesWatch::close);
        maxDeliveries.clear();
        closeTogether(List.copyOf(engines.values()));
        engines.clear();
    }

    /**
     * Closes the engines at the same time, so that shut-down waits one {@code consumer.drain-timeout}, not one per
     * peer; one after the other where no thread can be had (the container is already going away).
     */
    private void closeTogether(List<ConsumerEngine> running) {
        List<Thread> closing = new ArrayList<>();
        for (ConsumerEngine engine : running.subList(Math.min(1, running.size()), running.size())) {
            Thread thread = closingThread(engine);
            if (thread == null) {
                engine.close();
            } else {
                closing.add(thread);
            }
        }
        if (!running.isEmpty()) {
            running.get(0).close();
        }
        boolean interrupted = false;
        for (Thread thread : closing) {
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true; // the engines bound their own drain: keep waiting, then pass the interrupt on
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private Thread closingThread(ConsumerEngine engine) {
        try {
            Thread thread = executors.threadFactory().newThread(engine::close);
            thread.start();
            return thread;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
