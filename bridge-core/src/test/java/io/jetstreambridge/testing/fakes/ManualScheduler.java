package io.jetstreambridge.testing.fakes;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler that runs nothing by itself: a test sees what was scheduled ({@link #pending()}) and runs it
 * ({@link #runPending()}), so "one task per tick" can be counted instead of timed. One-shot tasks only.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final List<Task<?>> pending = new ArrayList<>();
    private int scheduled;
    private boolean shutdown;

    /** How many tasks wait to be run. */
    public synchronized int pending() {
        return pending.size();
    }

    /** How many tasks were ever scheduled. */
    public synchronized int scheduled() {
        return scheduled;
    }

    /** Runs the tasks waiting now (not those they schedule); returns how many ran. */
    public int runPending() {
        List<Task<?>> due;
        synchronized (this) {
            due = List.copyOf(pending);
            pending.clear();
        }
        due.forEach(FutureTask::run);
        return due.size();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return schedule(() -> {
            command.run();
            return null;
        }, delay, unit);
    }

    @Override
    public synchronized <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        Task<V> task = new Task<>(callable, unit.toNanos(delay));
        pending.add(task);
        scheduled++;
        return task;
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("one-shot tasks only");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
                                                     TimeUnit unit) {
        throw new UnsupportedOperationException("one-shot tasks only");
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> left = new ArrayList<>(pending);
        pending.clear();
        return left;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown && pending.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }

    private static final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
        private final long delayNanos;

        Task(Callable<V> callable, long delayNanos) {
            super(callable);
            this.delayNanos = delayNanos;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(delayNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }
    }
}
