package io.jetstreambridge.core.consume;

import io.jetstreambridge.config.ConsumerSettings;
import io.nats.client.Message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tells the server a message is still being worked on ({@code +WPI}) at half its ack wait (see
 * {@link #effectiveAckWait}), so a slow observer
 * does not get the message redelivered to another worker meanwhile; stops at the processing timeout, after which
 * the server may redeliver it. The timeout counts from the start, or from the last {@link Beat#renew()} (a message
 * of a batch gets a fresh one whenever the worker starts its next step, see {@link MessageProcessor#processAll}).
 *
 * <p>One sweep per tick (a quarter of the interval) beats every message that is due, instead of a timer per
 * message: a timer per message was a task entered into the scheduler's locked delay queue and cancelled again for
 * every message, nearly all of them handled long before their first beat (and in a server, a managed scheduled
 * executor captures the thread's context per task). A beat comes at most one tick late, so at most 1.25 intervals
 * apart, still well within the ack wait. No sweep runs while no message is kept alive.
 */
public final class KeepAlive {

    static final Duration SHORTEST_INTERVAL = ConsumerSettings.SHORTEST_KEEP_ALIVE_INTERVAL;

    private final ScheduledExecutorService scheduler;
    private final Duration interval;
    private final long intervalNanos;
    private final long tickNanos;
    private final Duration processingTimeout;
    private final Queue<Beat> beating = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean armed = new AtomicBoolean();

    public KeepAlive(ScheduledExecutorService scheduler, Duration ackWait, Duration processingTimeout) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        Duration half = ackWait.dividedBy(2);
        this.interval = half.compareTo(SHORTEST_INTERVAL) < 0 ? SHORTEST_INTERVAL : half;
        this.intervalNanos = interval.toNanos();
        this.tickNanos = intervalNanos / 4;
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

    Duration interval() {
        return interval;
    }

    /** Starts beating for this message; close the result when processing ends. */
    public Beat start(Message message) {
        return keep(new Beat(message, new Deadline(processingTimeout.toNanos()), System.nanoTime() + intervalNanos));
    }

    /**
     * Starts beating for every message of a fetched batch, under one processing timeout that
     * {@link Batch#renew()} refreshes for all of them at once: renewing each message's own timeout at every step of
     * the batch cost the batch's size per step.
     */
    public Batch startAll(List<Message> messages) {
        Deadline deadline = new Deadline(processingTimeout.toNanos());
        long firstBeat = System.nanoTime() + intervalNanos;
        List<Beat> beats = new ArrayList<>(messages.size());
        try {
            messages.forEach(message -> beats.add(keep(new Beat(message, deadline, firstBeat))));
        } catch (RuntimeException | Error e) {
            beats.forEach(Beat::close);
            throw e;
        }
        return new Batch(deadline, beats);
    }

    /**
     * Beats for this message without the processing-timeout deadline: for a message held (not processed) while
     * the consumer's database does not answer, see {@link DatabaseOutage}. The first beat is sent now. Close the
     * result when the hold ends.
     */
    public Beat hold(Message message) {
        beatOnce(message);
        return keep(new Beat(message, null, System.nanoTime() + intervalNanos));
    }

    private Beat keep(Beat beat) {
        beating.add(beat);
        arm();
        return beat;
    }

    private void arm() {
        if (!armed.compareAndSet(false, true)) {
            return;
        }
        try {
            scheduler.schedule(this::sweep, tickNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            armed.set(false); // shutting down: the server redelivers what is not kept alive
        }
    }

    /** Beats every message that is due; drops the ended ones and those whose processing timeout has passed. */
    private void sweep() {
        try {
            long now = System.nanoTime();
            for (Iterator<Beat> beats = beating.iterator(); beats.hasNext(); ) {
                Beat beat = beats.next();
                if (beat.endIfDue()) {
                    beats.remove();
                } else if (now - beat.nextBeat >= 0) {
                    beat.nextBeat = now + intervalNanos;
                    beatOnce(beat.message);
                }
            }
        } finally {
            armed.set(false);
            if (!beating.isEmpty()) {
                arm();
            }
        }
    }

    private static void beatOnce(Message message) {
        try {
            message.inProgress();
        } catch (RuntimeException e) {
            // the connection is closing or reconnecting: the next beat tries anew; a message that cannot be kept
            // alive is redelivered by the server
        }
    }

    /** A processing timeout, shared by the messages of a batch; once passed, it stays passed. */
    private static final class Deadline {
        private final long timeoutNanos;
        private long at;
        private boolean passed;

        Deadline(long timeoutNanos) {
            this.timeoutNanos = timeoutNanos;
            this.at = System.nanoTime() + timeoutNanos;
        }

        synchronized boolean passed() {
            if (!passed && System.nanoTime() - at >= 0) {
                passed = true;
            }
            return passed;
        }

        /** A fresh timeout from now, unless it has passed already. */
        synchronized boolean renew() {
            if (passed()) {
                return false;
            }
            at = System.nanoTime() + timeoutNanos;
            return true;
        }
    }

    /** The keep-alives of a fetched batch, under one processing timeout. */
    public static final class Batch implements AutoCloseable {
        private final Deadline deadline;
        private final List<Beat> beats;

        private Batch(Deadline deadline, List<Beat> beats) {
            this.deadline = deadline;
            this.beats = beats;
        }

        /** The keep-alive of the batch's message at this position. */
        public Beat get(int position) {
            return beats.get(position);
        }

        /** Gives every message of the batch still kept alive a fresh processing timeout from now. */
        public void renew() {
            deadline.renew();
        }

        /** Ends every keep-alive of the batch. */
        @Override
        public void close() {
            beats.forEach(Beat::close);
        }
    }

    /** One message's keep-alive. */
    public static final class Beat implements AutoCloseable {
        private final Message message;
        private final Deadline deadline; // null while held: no processing timeout
        private volatile long nextBeat; // written only by the sweep
        private volatile boolean ended;

        private Beat(Message message, Deadline deadline, long firstBeat) {
            this.message = message;
            this.deadline = deadline;
            this.nextBeat = firstBeat;
        }

        /**
         * Gives the message a fresh processing timeout from now, if it is still kept alive (for a message of a
         * batch: every message of the batch, as {@link Batch#renew()}).
         *
         * @return false when the keep-alive has ended (closed, or its timeout passed): the server may redeliver the
         *         message at any time, so it must not be handled under this delivery any more
         */
        public boolean renew() {
            if (endIfDue()) {
                return false;
            }
            if (deadline != null && !deadline.renew()) {
                ended = true;
                return false;
            }
            return true;
        }

        /** Ends the keep-alive when its timeout has passed; true when it has ended (now or before). */
        private boolean endIfDue() {
            if (!ended && deadline != null && deadline.passed()) {
                ended = true;
            }
            return ended;
        }

        /** Ends the keep-alive: no beat is sent for the message after this returns, but one already under way. */
        @Override
        public void close() {
            ended = true;
        }
    }
}
