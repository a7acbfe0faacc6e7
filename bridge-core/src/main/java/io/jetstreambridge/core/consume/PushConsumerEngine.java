package io.jetstreambridge.core.consume;

import io.nats.client.Connection;
import io.nats.client.Message;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

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
 * delivered but not yet started, all within the drain timeout. The life cycle (start once, state, bounded stop,
 * failure policy) is the one it shares with the pull engine, {@link ConsumerLoop}. Built with
 * {@link ConsumerEngine#builder()}.
 */
public final class PushConsumerEngine extends ConsumerLoop<PushBuffer> {

    /** Longest wait for one message, so that a worker notices {@link #close()} soon. */
    static final Duration LONGEST_POLL = Duration.ofMillis(250);
    /** Less time than this left at shut-down: leave the queue group without draining. */
    static final Duration SHORTEST_DRAIN = Duration.ofMillis(10);

    private final Duration pollTimeout;

    private volatile Instant lastPoll;
    private volatile Instant lastDelivery;

    PushConsumerEngine(ConsumerEngine.Builder built) {
        super(built, "push", built.topology.durableName() + "-push-");
        Duration fetch = settings.fetchTimeout();
        this.pollTimeout = fetch == null || fetch.isZero() || fetch.isNegative() || fetch.compareTo(LONGEST_POLL) > 0
                ? LONGEST_POLL : fetch;
    }

    @Override
    public PushConsumerEngine start() {
        super.start();
        return this;
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

    /** The subject the workers subscribe to. */
    public String deliverSubject() {
        return topology.deliverSubject();
    }

    /** The queue group the workers join. */
    public String queueGroup() {
        return topology.queueGroup();
    }

    @Override
    PushBuffer subscribe() {
        return PushBuffer.subscribe(connection, topology.deliverSubject(), topology.queueGroup(),
                processor::keepWaiting);
    }

    @Override
    boolean round(PushBuffer subscription) throws InterruptedException {
        Message message = subscription.nextMessage(pollTimeout);
        if (connection.getStatus() == Connection.Status.CONNECTED) {
            lastPoll = clock.instant();
            state(State.RUNNING);
        } else {
            state(State.RECOVERING); // jnats reconnects and subscribes again by itself
        }
        if (message == null) {
            return true;
        }
        lastDelivery = clock.instant();
        if (message.isStatusMessage()) {
            answerStatus(message);
        } else if (workers.running()) {
            processor.process(message);
        } else {
            message.nak(); // stopping: hand it back at once rather than after ack_wait
        }
        return true;
    }

    /**
     * The subscription is fine, the message was not (e.g. its ack could not be sent): the server redelivers it
     * after ack_wait; keep consuming.
     */
    @Override
    boolean keepsSubscriptionAfterFailure(PushBuffer subscription) {
        return subscription.isActive();
    }

    @Override
    PushBuffer dropQuietly(PushBuffer subscription) {
        return PushBuffer.closeQuietly(subscription);
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
    @Override
    void release(PushBuffer subscription) {
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
}
