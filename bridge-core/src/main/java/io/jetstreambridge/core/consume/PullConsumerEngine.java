package io.jetstreambridge.core.consume;

import io.jetstreambridge.config.ConsumerSettings;
import io.jetstreambridge.core.log.BridgeLog;
import io.jetstreambridge.topology.Topology;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;

/**
 * Runs {@code consumer.concurrency} workers that share the durable pull consumer {@code {app}-workers}: each
 * fetches a batch, processes it message by message, and fetches again. A lost subscription (server restart,
 * deleted consumer, leader election) puts the worker into recovery, where it waits and binds again (re-creating
 * a deleted durable when provisioning is allowed); the loop
 * never ends on an error, only on {@link #close()}. Threads come from the given factory (a
 * {@code ManagedThreadFactory} in a container).
 */
public final class PullConsumerEngine implements ConsumerEngine {

    static final Duration RECOVERY_WAIT = Duration.ofMillis(500);
    static final int CONSUMER_NOT_FOUND = 10014;
    static final Duration TOP_UP_WAIT = Duration.ofMillis(20);
    static final String MISSING_ON_BIND = "SUB-90017";

    /** For {@code recreateConsumer} when provisioning is off: wait for an administrator instead. */
    public static final Runnable WAIT_FOR_CONSUMER = () -> { };

    private final Connection connection;
    private final Topology topology;
    private final ConsumerSettings settings;
    private final MessageProcessor processor;
    private final Clock clock;
    private final Runnable recreateConsumer;
    private final Workers workers;

    private volatile Instant lastActivity;

    public PullConsumerEngine(Connection connection, Topology topology, ConsumerSettings settings,
                              MessageProcessor processor, ThreadFactory threads, Clock clock,
                              Duration drainTimeout, Runnable recreateConsumer) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.topology = Objects.requireNonNull(topology, "topology");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.processor = Objects.requireNonNull(processor, "processor");
        Objects.requireNonNull(threads, "threads");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.workers = new Workers(topology.durableName(), threads, drainTimeout);
        this.recreateConsumer = Objects.requireNonNull(recreateConsumer, "recreateConsumer");
    }

    @Override
    public synchronized PullConsumerEngine start() {
        workers.start(settings.concurrency(), topology.durableName() + "-", this::work);
        return this;
    }

    @Override
    public State state() {
        return workers.state();
    }

    /**
     * When a worker last showed progress: a fetch returned (with or without messages), a message's processing
     * started or ended. Per message, not per fetch, so a batch of slow but healthy messages keeps it moving; only a
     * single step longer than the stall timeout (which must exceed the processing timeout) leaves it still.
     */
    @Override
    public Optional<Instant> lastActivity() {
        return Optional.ofNullable(lastActivity);
    }

    private void recordActivity() {
        lastActivity = clock.instant();
    }

    @Override
    public Optional<Throwable> lastError() {
        return workers.lastError();
    }

    private void work() {
        JetStreamSubscription subscription = null;
        boolean backlog = false;
        while (workers.running()) {
            try {
                if (subscription == null) {
                    subscription = bind();
                }
                if (!processor.awaitDatabase(workers::running)) {
                    if (!pause(RECOVERY_WAIT)) { // stopping while the database is down
                        break;
                    }
                    continue;
                }
                List<Message> batch = fetch(subscription, backlog);
                backlog = batch.size() == settings.batchSize() && settings.batchSize() > 1;
                recordActivity();
                workers.state(State.RUNNING);
                processor.processAll(batch, workers::running, this::recordActivity);
            } catch (Throwable e) {
                if (!workers.survives(e)) {
                    break;
                }
                workers.state(State.RECOVERING);
                BridgeLog.consumerRecovering(topology.durableName(), e);
                subscription = Workers.unsubscribeQuietly(subscription);
                if (!pause(RECOVERY_WAIT)) {
                    break;
                }
            }
        }
        Workers.unsubscribeQuietly(subscription);
    }

    /**
     * Waits up to the fetch timeout for the first message only, then takes whatever else is ready within
     * {@link #TOP_UP_WAIT}: a pull for the whole batch would hold a lone message until the batch filled or the
     * timeout passed, adding up to {@code consumer.fetch-timeout} of latency to every quiet period. After a full
     * batch (a backlog) one pull asks for the whole next batch within {@link #TOP_UP_WAIT}, which the backlog
     * fills at once: one round trip to the server per batch instead of two while the backlog lasts.
     */
    private List<Message> fetch(JetStreamSubscription subscription, boolean backlog) {
        if (backlog) {
            List<Message> batch = subscription.fetch(settings.batchSize(), TOP_UP_WAIT);
            if (!batch.isEmpty()) {
                return batch;
            }
        }
        List<Message> first = subscription.fetch(1, settings.fetchTimeout());
        if (first.isEmpty() || settings.batchSize() == 1) {
            return first;
        }
        List<Message> batch = new ArrayList<>(first);
        batch.addAll(subscription.fetch(settings.batchSize() - 1, TOP_UP_WAIT));
        return batch;
    }

    /** Binds to the durable; a missing durable is re-created when provisioning is allowed, then bound again. */
    private JetStreamSubscription bind() throws IOException, JetStreamApiException {
        PullSubscribeOptions options = PullSubscribeOptions.bind(topology.stream(), topology.durableName());
        try {
            return connection.jetStream().subscribe(topology.consumeSubject(), options);
        } catch (JetStreamApiException | IllegalArgumentException e) {
            if (!consumerMissing(e)) {
                throw e;
            }
            recreateConsumer.run();
            return connection.jetStream().subscribe(topology.consumeSubject(), options);
        }
    }

    /** jnats reports a missing durable on bind as its client error SUB-90017, the server as API error 10014. */
    private static boolean consumerMissing(Exception e) {
        return e instanceof JetStreamApiException api ? api.getApiErrorCode() == CONSUMER_NOT_FOUND
                : String.valueOf(e.getMessage()).contains(MISSING_ON_BIND);
    }

    private boolean pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Stops fetching, lets each worker finish the message in hand within the drain timeout, then interrupts what
     * is left. Unfinished messages are redelivered by the server later.
     */
    @Override
    public void close() {
        workers.stop();
    }
}
