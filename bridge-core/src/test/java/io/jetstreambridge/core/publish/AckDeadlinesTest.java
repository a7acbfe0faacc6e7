package io.jetstreambridge.core.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;

class AckDeadlinesTest {

    private final ExecutorService sweeps = Executors.newSingleThreadExecutor();
    private final AckDeadlines deadlines = new AckDeadlines(Duration.ofMillis(300), sweeps);

    @AfterEach
    void stop() {
        sweeps.shutdownNow();
    }

    @Test
    void anAckThatNeverComesFailsWithATimeoutAfterTheDeadline() {
        long start = System.nanoTime();
        CompletableFuture<String> lost = deadlines.watch(new CompletableFuture<>());

        await().atMost(Duration.ofSeconds(5)).until(lost::isDone);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(lost).isCompletedExceptionally();
        assertThat(lost.handle((value, error) -> error).join()).isInstanceOf(TimeoutException.class)
                .hasMessageContaining("300 ms");
    }

    @Test
    void acksInTimeKeepTheirValueAndALostOneBehindThemStillTimesOut() {
        List<CompletableFuture<String>> acks = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            acks.add(deadlines.watch(new CompletableFuture<>()));
        }
        CompletableFuture<String> lost = acks.get(700);
        for (int i = 0; i < acks.size(); i++) {
            if (i != 700) {
                acks.get(i).complete("ack-" + i);
            }
        }

        await().atMost(Duration.ofSeconds(5)).until(lost::isDone);

        assertThat(lost).isCompletedExceptionally();
        assertThat(acks.get(0).join()).isEqualTo("ack-0");
        assertThat(acks.get(999).join()).isEqualTo("ack-999");
        assertThat(acks.stream().filter(CompletableFuture::isCompletedExceptionally)).hasSize(1);
    }

    @Test
    void aWatchAfterTheQueueRanEmptyArmsTheSweepAgain() {
        CompletableFuture<String> first = deadlines.watch(new CompletableFuture<>());
        await().atMost(Duration.ofSeconds(5)).until(first::isDone); // swept out: nothing left, no timer armed

        CompletableFuture<String> answered = deadlines.watch(new CompletableFuture<>());
        CompletableFuture<String> later = deadlines.watch(new CompletableFuture<>());
        answered.complete("ack");
        await().atMost(Duration.ofSeconds(5)).until(later::isDone);

        assertThat(first).isCompletedExceptionally();
        assertThat(later).isCompletedExceptionally();
        assertThat(answered.join()).isEqualTo("ack");
    }
}
