package io.jetstreambridge.runtime.consume;

import io.jetstreambridge.config.ConsumerSettings;
import io.nats.client.Message;

import java.time.Duration;
import java.util.Comparator;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Tells the server a message is still being worked on ({@code +WPI}) at half its ack wait (see
 * {@link #effectiveAckWait}), so a slow observer
 * does not get the message redelivered to another worker meanwhile; stops at the processing timeout, after which
 * the server may redeliver it. The timeout counts from the start, or from the last {@link Beat#renew()} (a message
 * of a batch gets a fresh one whenever the worker starts its next step, see {@link MessageProcessor#processAll}).
 */
public final class KeepAlive {

    static final Duration SHORTEST_INTERVAL = ConsumerSettings.SHORTEST_KEEP_ALIVE_INTERVAL;

    private final ScheduledExecutorService scheduler;
    private final Duration interval;
    private final Duration processingTimeout;

    public KeepAlive(ScheduledExecutorService scheduler, Duration ackWait, Duration processingTimeout) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        Duration half = ackWait.dividedBy(2);
        this.interval = half.compareTo(SHORTEST_INTERVAL) < 0 ? SHORTEST_INTERVAL : half;
        this.processingTimeout = Objects.requireNonNull(processingTimeout, "processingTimeout");
    }

    /**
     * The ack wait the server really applies: with a backoff list nats-server 2.9 redelivers after the list's steps
     * instead of {@code ack_wait}, so the shortest step is what in-progress acks must beat.
     */
    public static Duration effectiveAckWait(ConsumerSettings settings) {
        return settings.backoff().stream().min(Comparator.naturalOrder()).orElse(settings.ackWait());
    }

    Duration processingTimeout() {
        return processingTimeout;
    }

    /** Starts beating for this message; close the result when processing ends. */
    public Beat start(Message message) {
        Beat beat = new Beat(processingTimeout.toNanos());
        beat.future = scheduler.scheduleAtFixedRate(() -> {
            if (!beat.endIfDue()) {
                beatOnce(message);
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return beat;
    }

    /**
     * Beats for this message without the processing-timeout deadline: for a message held (not processed) while
     * the consumer's database does not answer, see {@link DatabaseOutage}. Close the result when the hold ends.
     */
    public Beat hold(Message message) {
        Beat beat = new Beat(processingTimeout.toNanos()); // its deadline is never checked: a hold is not renewed
        beat.future = scheduler.scheduleAtFixedRate(() -> beatOnce(message), 0, interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return beat;
    }

    private static void beatOnce(Message message) {
        try {
            message.inProgress();
        } catch (RuntimeException e) {
            // the connection is closing or reconnecting: a throwing task would never run again, so the next
            // beat tries anew; a message that cannot be kept alive is redelivered by the server
        }
    }

    /** One message's keep-alive. */
    public static final class Beat implements AutoCloseable {
        private final long timeoutNanos;
        private long deadline;
        private boolean ended;
        private volatile ScheduledFuture<?> future;

        private Beat(long timeoutNanos) {
            this.timeoutNanos = timeoutNanos;
            this.deadline = System.nanoTime() + timeoutNanos;
        }

        /**
         * Gives the message a fresh processing timeout from now, if it is still kept alive.
         *
         * @return false when the keep-alive has ended (closed, or its timeout passed): the server may redeliver the
         *         message at any time, so it must not be handled under this delivery any more
         */
        public synchronized boolean renew() {
            if (endIfDue()) {
                return false;
            }
            deadline = System.nanoTime() + timeoutNanos;
            return true;
        }

        /** Ends the keep-alive when its timeout has passed; true when it has ended (now or before). */
        private synchronized boolean endIfDue() {
            if (!ended && System.nanoTime() - deadline >= 0) {
                close();
            }
            return ended;
        }

        @Override
        public synchronized void close() {
            ended = true;
            ScheduledFuture<?> running = future;
            if (running != null) {
                running.cancel(false);
            }
        }
    }
}
