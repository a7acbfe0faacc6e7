package io.jetstreambridge.core.consume;

import io.jetstreambridge.config.ConsumerSettings;
import io.jetstreambridge.core.log.BridgeLog;
import io.jetstreambridge.topology.Topology;
import io.nats.client.Connection;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The life cycle both consumer engines share, so that pull and push cannot drift apart: {@link #start()} once
 * ({@code consumer.concurrency} workers from the thread factory), refused after {@link #close()}; the state for
 * health, which a worker that outlived {@code close()} can no longer change; {@code close()} bounded by the drain
 * timeout; and one worker loop: subscribe, run rounds (a fetch, or a wait for a pushed message, and its
 * processing), and on a failure survive it ({@link Workers#survives}), drop the subscription, wait
 * {@link #RECOVERY_WAIT} and subscribe again. Only {@code close()} (or an interrupt) ends a worker.
 *
 * @param <S> a worker's subscription
 */
abstract class ConsumerLoop<S> implements ConsumerEngine {

    static final Duration RECOVERY_WAIT = Duration.ofMillis(500);

    final Connection connection;
    final Topology topology;
    final ConsumerSettings settings;
    final MessageProcessor processor;
    final Clock clock;
    final Workers workers;
    private final String kind;
    private final String threadPrefix;

    /**
     * @param kind         names the engine in the refusal of a start after close
     * @param threadPrefix the worker threads are named {@code threadPrefix + i}
     */
    ConsumerLoop(ConsumerEngine.Builder built, String kind, String threadPrefix) {
        this.connection = built.connection;
        this.topology = built.topology;
        this.settings = built.settings;
        this.processor = built.processor;
        this.clock = built.clock;
        this.kind = kind;
        this.threadPrefix = threadPrefix;
        this.workers = new Workers(topology.durableName(), built.threads, built.drainTimeoutOrDefault());
    }

    /** Subscribes a worker. */
    abstract S subscribe() throws Exception;

    /**
     * One round of a worker: wait for messages and process them.
     *
     * @return false to end the worker (stopping, or interrupted)
     */
    abstract boolean round(S subscription) throws Exception;

    /**
     * Whether the subscription outlives a failure that reached the loop (the subscription is fine, only a message
     * was not), so the worker carries on without recovery; else it is dropped and subscribed again.
     */
    abstract boolean keepsSubscriptionAfterFailure(S subscription);

    /** Leaves a subscription at recovery, never throwing; returns null. */
    abstract S dropQuietly(S subscription);

    /** Leaves the subscription when the worker ends (null when it had none), within the drain deadline. */
    abstract void release(S subscription);

    /** Starts the workers; a second call does nothing, a call after {@link #close()} is refused. */
    @Override
    public synchronized ConsumerEngine start() {
        workers.start(settings.concurrency(), threadPrefix, this::work,
                () -> new IllegalStateException("the " + kind + " consumer engine of '" + topology.durableName()
                        + "' is closed; build a new one"));
        return this;
    }

    @Override
    public final State state() {
        return workers.state();
    }

    @Override
    public final Optional<Throwable> lastError() {
        return workers.lastError();
    }

    /** Reports {@code next} for health, unless stopping: a worker that outlived {@link #close()} stays quiet. */
    final void state(State next) {
        if (workers.running()) {
            workers.state(next);
        }
    }

    private void work() {
        S subscription = null;
        while (workers.running()) {
            try {
                if (subscription == null) {
                    subscription = subscribe();
                }
                if (!round(subscription)) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Throwable e) {
                if (!workers.survives(e)) {
                    break;
                }
                BridgeLog.consumerRecovering(topology.durableName(), e);
                if (subscription != null && keepsSubscriptionAfterFailure(subscription)) {
                    continue;
                }
                state(State.RECOVERING);
                subscription = dropQuietly(subscription);
                if (!workers.pauseUnlessStopped(RECOVERY_WAIT)) {
                    break;
                }
            }
        }
        release(subscription);
    }

    /**
     * Stops taking messages, lets each worker finish the message in hand within the drain timeout, then interrupts
     * what is left. Unfinished messages are redelivered by the server later.
     */
    @Override
    public final void close() {
        workers.stop();
    }
}
