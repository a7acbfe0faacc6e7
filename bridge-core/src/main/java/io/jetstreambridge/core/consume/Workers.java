package io.jetstreambridge.core.consume;

import io.jetstreambridge.core.consume.ConsumerEngine.State;
import io.jetstreambridge.core.log.BridgeLog;
import io.nats.client.Subscription;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The worker threads of one consumer engine and the bookkeeping the engine reports: starts them from the
 * given factory, tells them when to stop, and on {@link #stop()} waits for them until the drain deadline, then
 * interrupts what is left. The engine keeps its own loop, which checks {@link #running()}.
 *
 * <p>The failure policy both engines share: a worker never ends on an error, only on {@link #stop()}. Whatever an
 * observer throws, {@link Error}s included, is a failure of its message ({@link MessageProcessor}); whatever else
 * reaches the engine's loop is caught there ({@link #survives}); and should anything still escape the loop, the
 * thread logs JSB4030 and runs the loop again ({@link #start}), so a consumer never silently loses a worker while
 * its health says UP.
 */
final class Workers {

    private final String durableName;
    private final ThreadFactory factory;
    private final Duration drainTimeout;
    private final List<Thread> threads = new ArrayList<>();
    private final CountDownLatch stopSignal = new CountDownLatch(1);

    private volatile boolean running;
    private volatile long drainDeadline;
    private volatile State state = State.STARTING;
    private volatile Throwable lastError;

    Workers(String durableName, ThreadFactory factory, Duration drainTimeout) {
        this.durableName = durableName;
        this.factory = Objects.requireNonNull(factory, "threads");
        this.drainTimeout = Objects.requireNonNull(drainTimeout, "drainTimeout");
    }

    /** Starts {@code count} threads running {@code work}, named {@code namePrefix + i}; nothing if they run. */
    synchronized void start(int count, String namePrefix, Runnable work) {
        if (running) {
            return;
        }
        running = true;
        Runnable supervised = () -> supervise(work);
        for (int i = 0; i < count; i++) {
            Thread worker = factory.newThread(supervised);
            worker.setName(namePrefix + i);
            threads.add(worker);
            worker.start();
        }
    }

    /** Runs the engine's loop, and runs it again should it end by a throwable before {@link #stop()}. */
    private void supervise(Runnable work) {
        while (running) {
            try {
                work.run();
                return;
            } catch (Throwable escaped) {
                if (!running) {
                    return;
                }
                failed(escaped);
                BridgeLog.workerRestarted(durableName, Thread.currentThread().getName(), escaped);
                if (!pauseUnlessStopped(PullConsumerEngine.RECOVERY_WAIT)) {
                    return;
                }
            }
        }
    }

    /**
     * What an engine's loop does with a throwable that reached it: every one, {@link Error}s included, is survived
     * (remembered for health, then recovery); only {@link #stop()} ends the loop. A single place, so that the pull
     * and the push loop cannot drift apart.
     *
     * @return false when the loop should end because the workers are stopping
     */
    boolean survives(Throwable error) {
        if (!running) {
            return false;
        }
        failed(error);
        return true;
    }

    /** Like {@link #start}, but once {@link #stop()} was called throws what {@code refusal} supplies. */
    synchronized void startUnlessStopped(int count, String namePrefix, Runnable work,
                                         Supplier<? extends RuntimeException> refusal) {
        if (stopSignal.getCount() == 0) {
            throw refusal.get();
        }
        start(count, namePrefix, work);
    }

    boolean running() {
        return running;
    }

    State state() {
        return state;
    }

    void state(State next) {
        state = next;
    }

    Optional<Throwable> lastError() {
        return Optional.ofNullable(lastError);
    }

    void failed(Throwable error) {
        lastError = error;
    }

    /** Waits up to {@code wait}: true when it passed, false when {@link #stop()} was called or on interrupt. */
    boolean pauseUnlessStopped(Duration wait) {
        try {
            return !stopSignal.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The drain timeout before {@link #stop()}; after it, the time left until the drain deadline. */
    Duration remainingDrainTime() {
        long deadline = drainDeadline;
        if (deadline == 0) {
            return drainTimeout;
        }
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    /**
     * Leaves a worker's subscription, if any and still active, ignoring failures: the connection is gone or closing
     * and the server forgets the subscription anyway. Returns null, for {@code subscription = unsubscribeQuietly(…)}.
     */
    static <S extends Subscription> S unsubscribeQuietly(S subscription) {
        if (subscription != null && subscription.isActive()) {
            try {
                subscription.unsubscribe();
            } catch (RuntimeException ignored) {
                // the connection is gone or closing: the server forgets the subscription anyway
            }
        }
        return null;
    }

    /**
     * Tells the workers to stop, waits for them until the drain deadline, interrupts those still alive, then
     * reports {@link State#STOPPED} and logs JSB4005.
     */
    void stop() {
        List<Thread> stopping;
        synchronized (this) {
            drainDeadline = System.nanoTime() + drainTimeout.toNanos();
            running = false;
            stopSignal.countDown();
            stopping = List.copyOf(threads);
            threads.clear();
        }
        long deadline = drainDeadline;
        int unfinished = 0;
        for (Thread worker : stopping) {
            try {
                worker.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (worker.isAlive()) {
                unfinished++;
                worker.interrupt();
            }
        }
        state = State.STOPPED;
        BridgeLog.consumerStopped(durableName, unfinished);
    }
}
