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
 * the server may redeliver it.
 */
public final class KeepAlive {

    static final Duration SHORTEST_INTERVAL = Duration.ofMillis(100);

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

    /** Starts beating for this message; close the result when processing ends. */
    public Beat start(Message message) {
        long deadline = System.nanoTime() + processingTimeout.toNanos();
        Beat beat = new Beat();
        beat.future = scheduler.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - deadline >= 0) {
                beat.close();
            } else {
                message.inProgress();
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return beat;
    }

    /**
     * Beats for this message without the processing-timeout deadline: for a message held (not processed) while
     * the consumer's database does not answer, see {@link DatabaseOutage}. Close the result when the hold ends.
     */
    public Beat hold(Message message) {
        Beat beat = new Beat();
        beat.future = scheduler.scheduleAtFixedRate(message::inProgress, 0, interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return beat;
    }

    /** One message's keep-alive. */
    public static final class Beat implements AutoCloseable {
        private volatile ScheduledFuture<?> future;

        @Override
        public void close() {
            ScheduledFuture<?> running = future;
            if (running != null) {
                running.cancel(false);
            }
        }
    }
}
