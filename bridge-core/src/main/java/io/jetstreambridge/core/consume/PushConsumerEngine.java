package io.jetstreambridge.core.consume;

import io.jetstreambridge.config.ConsumerSettings;
import io.jetstreambridge.core.log.BridgeLog;
import io.jetstreambridge.topology.Topology;
import io.nats.client.Connection;
import io.nats.client.Message;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;

/**
 * Push mode: runs {@code consumer.concurrency} workers, each a member of the queue group ({@code {app}-workers}
 * unless configured) on the delivery subject of the durable push consumer ({@code {destination}.sync.{app}.worker}
 * unless configured), which the provisioner or an administrator created beforehand. The server spreads the
 * messages over all members of the group, in this and every other instance of the application; each worker hands
 * its messages one by one to the {@link MessageProcessor}, which acks, naks or dead-letters through the message's
 * reply subject ({@code $JS.ACK.<stream>.<durable>.…}).
 *
 * <p>The server pushes up to the durable's {@code max_ack_pending} messages (provisioned as 4 per worker unless
 * configured) ahead of the workers; each waits in its worker's {@link PushBuffer}, kept alive from its arrival, so a
 * backlog is not redelivered while it waits for a worker (with a backoff list the server's ack wait is only its
 * first step).
 *
 * <p>The workers use plain core NATS queue subscriptions, not jnats' {@code PushSubscribeOptions.bind(…)}: in jnats
 * 2.26.2 a bound push subscription always asks the server for the consumer's configuration
 * ({@code $JS.API.CONSUMER.INFO.<stream>.<durable>}) and has no {@code fastBind}. This engine calls no
 * {@code $JS.API} subject at all, so a restricted user needs only subscribe on the delivery subject (in the queue
 * group) and publish on the ack subjects. jnats still turns a message whose reply subject starts with
 * {@code $JS.ACK.} into a JetStream message, so {@link Message#ack()}, {@link Message#nakWithDelay(Duration)} and
 * {@link Message#metaData()} work as on a JetStream subscription. Core subscriptions are restored by jnats after a
 * reconnect, so a server restart needs no rebinding.
 *
 * <p>Flow control and idle heartbeats are answered and counted if the consumer has them, but the bridge does not
 * configure them: with a queue group the server sends each heartbeat to one member only, so a missing heartbeat
 * says little about one instance.
 *
 * <p>Worker threads come from the given factory (a {@code ManagedThreadFactory} in a container); observers run
 * on them. Each worker's jnats dispatcher, which only moves arriving messages into its buffer, runs on jnats' own
 * executor, like the connection's reader and writer. {@link #close()} stops
 * taking messages, lets each worker finish the message in hand, drains the subscription and naks what was
 * delivered but not yet started, all within the drain timeout.
 */
public final class PushConsumerEngine implements ConsumerEngine {

    static final Duration RECOVERY_WAIT = Duration.ofMillis(500);
    /** Longest wait for one message, so that a worker notices {@link #close()} soon. */
    static final Duration LONGEST_POLL = Duration.ofMillis(250);
    /** Less time than this left at shut-down: leave the queue group without draining. */
    static final Duration SHORTEST_DRAIN = Duration.ofMillis(10);

    private final Connection connection;
    private final Topology topology;
    private final ConsumerSettings settings;
    private final MessageProcessor processor;
    private final Clock clock;
    private final Duration pollTimeout;
    private final Workers workers;

    private volatile Instant lastPoll;
    private volatile Instant lastDelivery;

    public PushConsumerEngine(Connection connection, Topology topology, ConsumerSettings settings,
                              MessageProcessor processor, ThreadFactory threads, Clock clock,
                              Duration drainTimeout) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.topology = Objects.requireNonNull(topology, "topology");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.processor = Objects.requireNonNull(processor, "processor");
        Objects.requireNonNull(threads, "threads");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.workers = new Workers(topology.durableName(), threads, drainTimeout);
        Duration fetch = settings.fetchTimeout();
        this.pollTimeout = fetch == null || fetch.isZero() || fetch.isNegative() || fetch.compareTo(LONGEST_POLL) > 0
                ? LONGEST_POLL : fetch;
    }

    /** Subscribes the workers; a second call does nothing, a call after {@link #close()} is refused. */
    @Override
    public synchronized PushConsumerEngine start() {
        workers.startUnlessStopped(settings.concurrency(), topology.durableName() + "-push-", this::work,
                () -> new IllegalStateException("the push consumer engine of '" + topology.durableName()
                        + "' is closed; build a new one"));
        return this;
    }

    @Override
    public State state() {
        return workers.state();
    }

    /**
     * When a worker last finished waiting for a message (with or without one) while the connection was up; empty
     * before the first. A value that stops moving means a stalled worker: the liveness signal, like
     * {@link PullConsumerEngine#lastActivity()}.
     */
    @Override
    public Optional<Instant> lastActivity() {
        return Optional.ofNullable(lastPoll);
    }

    /** When the server last delivered a message or an idle heartbeat to this instance; empty before the first. */
    public Optional<Instant> lastDelivery() {
        return Optional.ofNullable(lastDelivery);
    }

    @Override
    public Optional<Throwable> lastError() {
        return workers.lastError();
    }

    /** The subject the workers subscribe to. */
    public String deliverSubject() {
        return topology.deliverSubject();
    }

    /** The queue group the workers join. */
    public String queueGroup() {
        return topology.queueGroup();
    }

    private void work() {
        PushBuffer subscription = null;
        while (workers.running()) {
            try {
                if (subscription == null) {
                    subscription = PushBuffer.subscribe(connection, topology.deliverSubject(), topology.queueGroup(),
                            processor::keepWaiting);
                }
                Message message = subscription.nextMessage(pollTimeout);
                if (connection.getStatus() == Connection.Status.CONNECTED) {
                    lastPoll = clock.instant();
                    setState(State.RUNNING);
                } else {
                    setState(State.RECOVERING); // jnats reconnects and subscribes again by itself
                }
                if (message == null) {
                    continue;
                }
                lastDelivery = clock.instant();
                if (message.isStatusMessage()) {
                    answerStatus(message);
                } else if (workers.running()) {
                    processor.process(message);
                } else {
                    message.nak(); // stopping: hand it back at once rather than after ack_wait
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Throwable e) {
                if (!workers.survives(e)) {
                    break;
                }
                if (subscription != null && subscription.isActive()) {
                    // the subscription is fine, the message was not (e.g. its ack could not be sent): the server
                    // redelivers it after ack_wait; keep consuming
                    BridgeLog.consumerRecovering(topology.durableName(), e);
                    continue;
                }
                setState(State.RECOVERING);
                BridgeLog.consumerRecovering(topology.durableName(), e);
                subscription = PushBuffer.closeQuietly(subscription);
                if (!workers.pauseUnlessStopped(RECOVERY_WAIT)) {
                    break;
                }
            }
        }
        release(subscription);
    }

    /** A worker that outlived {@link #close()} must not report itself running again. */
    private void setState(State next) {
        if (workers.running()) {
            workers.state(next);
        }
    }

    /**
     * Flow control requests want an empty reply; a heartbeat may name a stalled flow-control subject to answer.
     * Neither is configured by the bridge, but an administrator may have set them.
     */
    private void answerStatus(Message message) {
        if (message.getStatus().isFlowControl() && message.getReplyTo() != null) {
            connection.publish(message.getReplyTo(), null);
        } else if (message.getStatus().isHeartbeat() && message.getHeaders() != null) {
            String stalled = message.getHeaders().getFirst("Nats-Consumer-Stalled");
            if (stalled != null && !stalled.isEmpty()) {
                connection.publish(stalled, null);
            }
        }
    }

    /**
     * Leaves the queue group without losing time on what the server already sent to this worker: drain sends the
     * unsubscribe and flushes, after which every message meant for this worker is in its local queue; closing the
     * buffer naks those so another member gets them at once instead of after ack_wait.
     */
    private void release(PushBuffer subscription) {
        if (subscription == null) {
            return;
        }
        try {
            Duration remaining = workers.remainingDrainTime();
            // jnats reads a zero drain timeout as "wait for ever": past the deadline only unsubscribe
            if (subscription.isActive() && connection.getStatus() == Connection.Status.CONNECTED
                    && remaining.compareTo(SHORTEST_DRAIN) >= 0) {
                subscription.drain(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            subscription.close();
        }
    }

    /**
     * Stops taking messages, lets each worker finish the message in hand and nak what was delivered but not
     * started, within the drain timeout; then interrupts what is left. Unfinished messages are redelivered by the
     * server later.
     */
    @Override
    public void close() {
        workers.stop();
    }
}
