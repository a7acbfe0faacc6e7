package io.jetstreambridge.core.consume;

import io.jetstreambridge.core.connection.JetStreamErrors;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs {@code consumer.concurrency} workers that share the durable pull consumer {@code {app}-workers}: each
 * fetches a batch, processes it message by message, and fetches again. A lost subscription (server restart,
 * deleted consumer, leader election) puts the worker into recovery, where it waits and binds again (re-creating
 * a deleted durable when provisioning is allowed); the loop never ends on an error, only on {@link #close()}
 * (the life cycle it shares with the push engine: {@link ConsumerLoop}). Threads come from the given factory (a
 * {@code ManagedThreadFactory} in a container). Built with {@link ConsumerEngine#builder()}.
 */
public final class PullConsumerEngine extends ConsumerLoop<PullConsumerEngine.Pulling> {

    static final Duration TOP_UP_WAIT = Duration.ofMillis(20);
    static final String MISSING_ON_BIND = "SUB-90017";

    /** For {@code recreateConsumer} when provisioning is off: wait for an administrator instead. */
    public static final Runnable WAIT_FOR_CONSUMER = () -> { };

    private final Runnable recreateConsumer;

    private volatile Instant lastActivity;

    PullConsumerEngine(ConsumerEngine.Builder built) {
        super(built, "pull", built.topology.durableName() + "-");
        this.recreateConsumer = built.recreateConsumer;
    }

    @Override
    public PullConsumerEngine start() {
        super.start();
        return this;
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

    /** Binds to the durable; a missing durable is re-created when provisioning is allowed, then bound again. */
    @Override
    Pulling subscribe() throws IOException, JetStreamApiException {
        PullSubscribeOptions options = PullSubscribeOptions.bind(topology.stream(), topology.durableName());
        try {
            return new Pulling(connection.jetStream().subscribe(topology.consumeSubject(), options));
        } catch (JetStreamApiException | IllegalArgumentException e) {
            if (!consumerMissing(e)) {
                throw e;
            }
            recreateConsumer.run();
            return new Pulling(connection.jetStream().subscribe(topology.consumeSubject(), options));
        }
    }

    /** Waits out an outage of the consumer's database first: no message is fetched during one. */
    @Override
    boolean round(Pulling pulling) {
        if (!processor.awaitDatabase(workers::running)) {
            return workers.pauseUnlessStopped(RECOVERY_WAIT); // stopping while the database is down
        }
        List<Message> batch = fetch(pulling.subscription, pulling.backlog);
        pulling.backlog = batch.size() == settings.batchSize() && settings.batchSize() > 1;
        recordActivity();
        state(State.RUNNING);
        processor.processAll(batch, workers::running, this::recordActivity);
        return true;
    }

    /** A failure that reached the loop (a fetch, a bind, an ack) may mean a lost subscription: bind again. */
    @Override
    boolean keepsSubscriptionAfterFailure(Pulling pulling) {
        return false;
    }

    @Override
    Pulling dropQuietly(Pulling pulling) {
        if (pulling != null) {
            unsubscribeQuietly(pulling.subscription);
        }
        return null;
    }

    @Override
    void release(Pulling pulling) {
        dropQuietly(pulling);
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

    /** jnats reports a missing durable on bind as its client error SUB-90017, the server as API error 10014. */
    private static boolean consumerMissing(Exception e) {
        return e instanceof JetStreamApiException api
                ? JetStreamErrors.is(api, JetStreamErrors.CONSUMER_NOT_FOUND)
                : String.valueOf(e.getMessage()).contains(MISSING_ON_BIND);
    }

    /** Leaves a worker's subscription if still active, ignoring failures: the connection is gone or closing. */
    private static void unsubscribeQuietly(JetStreamSubscription subscription) {
        if (subscription.isActive()) {
            try {
                subscription.unsubscribe();
            } catch (RuntimeException ignored) {
                // the server forgets the subscription anyway
            }
        }
    }

    /** A worker's bound subscription, and whether its last fetch found a backlog (a full batch). */
    static final class Pulling {
        private final JetStreamSubscription subscription;
        private boolean backlog;

        private Pulling(JetStreamSubscription subscription) {
            this.subscription = subscription;
        }
    }
}
