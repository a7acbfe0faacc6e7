package io.jetstreambridge.core.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker threads both engines share: a worker whose loop still ends by an error runs it again (the last line
 * of defence of the failure policy), a worker busy past the drain deadline is interrupted, stopped workers never
 * start again.
 */
class WorkersTest {

    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    private Workers workers(Duration drainTimeout) {
        return new Workers("orders-workers", work -> {
            Thread thread = new Thread(work);
            threads.add(thread);
            return thread;
        }, drainTimeout);
    }

    @Test
    void aLoopEndedByAnErrorRunsAgainOnTheSameThreadUntilStop() {
        Workers workers = workers(Duration.ofSeconds(2));
        AtomicInteger runs = new AtomicInteger();

        workers.start(1, "orders-workers-", () -> {
            if (runs.incrementAndGet() == 1) {
                throw new StackOverflowError("escaped the engine's loop");
            }
            while (workers.running()) {
                workers.pauseUnlessStopped(Duration.ofMillis(50));
            }
        }, () -> new IllegalStateException("stopped"));

        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 2);
        assertThat(threads).hasSize(1).allMatch(Thread::isAlive);
        assertThat(workers.lastError()).containsInstanceOf(StackOverflowError.class);
        workers.stop();
        assertThat(threads).noneMatch(Thread::isAlive);
        assertThat(runs).hasValue(2);
    }

    @Test
    void aWorkerStillBusyAtTheDrainDeadlineIsInterruptedAndStopReturns() {
        Workers workers = workers(Duration.ofMillis(200));
        AtomicBoolean interrupted = new AtomicBoolean();
        CountDownLatch busy = new CountDownLatch(1);
        workers.start(1, "orders-workers-", () -> {
            busy.countDown();
            try {
                new CountDownLatch(1).await(); // an observer that never returns by itself
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        }, () -> new IllegalStateException("stopped"));
        await().atMost(Duration.ofSeconds(5)).until(() -> busy.getCount() == 0);

        long started = System.nanoTime();
        workers.stop();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        await().atMost(Duration.ofSeconds(5)).untilTrue(interrupted);
        assertThat(workers.state()).isEqualTo(ConsumerEngine.State.STOPPED);
        assertThat(workers.running()).isFalse();
    }

    @Test
    void stoppedWorkersNeverStartAgain() {
        Workers workers = workers(Duration.ofSeconds(1));
        workers.start(1, "orders-workers-", () -> { }, () -> new IllegalStateException("stopped"));
        workers.stop();

        assertThatIllegalStateException().isThrownBy(() -> workers.start(1, "orders-workers-", () -> { },
                () -> new IllegalStateException("closed; build a new one"))).withMessage("closed; build a new one");
        assertThat(threads).hasSize(1);
    }
}
