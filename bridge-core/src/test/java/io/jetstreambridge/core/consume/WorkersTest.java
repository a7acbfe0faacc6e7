package io.jetstreambridge.core.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** The last line of defence of the shared failure policy: a worker whose loop still ends by an error runs it again. */
class WorkersTest {

    @Test
    void aLoopEndedByAnErrorRunsAgainOnTheSameThreadUntilStop() {
        List<Thread> threads = new CopyOnWriteArrayList<>();
        Workers workers = new Workers("orders-workers", work -> {
            Thread thread = new Thread(work);
            threads.add(thread);
            return thread;
        }, Duration.ofSeconds(2));
        AtomicInteger runs = new AtomicInteger();

        workers.start(1, "orders-workers-", () -> {
            if (runs.incrementAndGet() == 1) {
                throw new StackOverflowError("escaped the engine's loop");
            }
            while (workers.running()) {
                workers.pauseUnlessStopped(Duration.ofMillis(50));
            }
        });

        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 2);
        assertThat(threads).hasSize(1).allMatch(Thread::isAlive);
        assertThat(workers.lastError()).containsInstanceOf(StackOverflowError.class);
        workers.stop();
        assertThat(threads).noneMatch(Thread::isAlive);
        assertThat(runs).hasValue(2);
    }
}
