package io.jetstreambridge.core.publish;

import java.time.Duration;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fails the acks that do not arrive within the ack timeout: one sweep per tick over all publishes in flight, in send
 * order, which is also deadline order since every publish waits the same time. {@code CompletableFuture.orTimeout}
 * did the same with a timer per publish, entered into a locked delay queue and taken out again when the ack
 * arrived: a quarter of the ack-handling thread's time at 60,000 acks a second. A deadline is noticed up to one
 * tick late (a tenth of the timeout, 10 to 100 ms). No timer runs while nothing is in flight.
 */
public final class AckDeadlines {

    private static final long MIN_TICK = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_TICK = TimeUnit.MILLISECONDS.toNanos(100);

    private final Duration timeout;
    private final long timeoutNanos;
    private final Executor sweeps;
    private final long tickNanos;
    private final Queue<Watched> inFlight = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean armed = new AtomicBoolean();

    /** @param sweeps where the sweeps run, and with them what a timed-out ack triggers */
    public AckDeadlines(Duration timeout, Executor sweeps) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.timeoutNanos = timeout.toNanos();
        this.sweeps = Objects.requireNonNull(sweeps, "sweeps");
        this.tickNanos = Math.max(MIN_TICK, Math.min(MAX_TICK, timeoutNanos / 10));
    }

    /** Completes {@code ack} with a {@link TimeoutException} unless it completes in time; returns it. */
    public <T> CompletableFuture<T> watch(CompletableFuture<T> ack) {
        inFlight.add(new Watched(ack, System.nanoTime() + timeoutNanos));
        arm();
        return ack;
    }

    private void arm() {
        if (!armed.compareAndSet(false, true)) {
            return;
        }
        try {
            CompletableFuture.delayedExecutor(tickNanos, TimeUnit.NANOSECONDS, sweeps).execute(this::sweep);
        } catch (RejectedExecutionException e) {
            armed.set(false); // shutting down: jnats still fails its own requests after its cleanup interval
        }
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            for (Watched watched = inFlight.peek(); watched != null; watched = inFlight.peek()) {
                if (!watched.ack.isDone() && now - watched.deadline < 0) {
                    break; // the oldest is still in time, and so is every younger one
                }
                inFlight.poll();
                if (!watched.ack.isDone()) {
                    watched.ack.completeExceptionally(new TimeoutException("no ack from JetStream within "
                            + timeout.toMillis() + " ms"));
                }
            }
        } finally {
            armed.set(false);
            if (!inFlight.isEmpty()) {
                arm();
            }
        }
    }

    private record Watched(CompletableFuture<?> ack, long deadline) {
    }
}
