package io.jetstreambridge.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryWaitTest {

    private final RetryWait doubling = RetryWait.doubling(Duration.ofMillis(250), Duration.ofSeconds(5));

    @Test
    void theFirstWaitIsTheInitialOneAndEachFurtherOneMultiplies() {
        assertThat(doubling.after(1)).isEqualTo(Duration.ofMillis(250));
        assertThat(doubling.after(2)).isEqualTo(Duration.ofMillis(500));
        assertThat(doubling.after(5)).isEqualTo(Duration.ofSeconds(4));
        assertThat(new RetryWait(Duration.ofSeconds(1), 3, Duration.ofMinutes(5)).after(3))
                .isEqualTo(Duration.ofSeconds(9));
    }

    @Test
    void noWaitIsLongerThanTheMaximum() {
        assertThat(doubling.after(6)).isEqualTo(Duration.ofSeconds(5));
        assertThat(doubling.after(1_000)).isEqualTo(Duration.ofSeconds(5));
        assertThat(doubling.after(Long.MAX_VALUE)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void attemptsBelowOneCountAsTheFirst() {
        // PublishSettings shifted by attempt - 1 unclamped: attempt 0 gave a negative wait
        assertThat(doubling.after(0)).isEqualTo(Duration.ofMillis(250));
        assertThat(doubling.after(-3)).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void aMultiplierOfOneWaitsTheSameEachTime() {
        assertThat(new RetryWait(Duration.ofSeconds(2), 1, Duration.ofSeconds(2)).after(9))
                .isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void anInitialWaitAboveTheMaximumIsCapped() {
        // publish.retry-backoff=10s with its maximum of 5 s: every wait is 5 s, as before
        assertThat(RetryWait.doubling(Duration.ofSeconds(10), Duration.ofSeconds(5)).after(1))
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void refusesRulesThatCannotWait() {
        assertThatThrownBy(() -> RetryWait.doubling(Duration.ofSeconds(-1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> new RetryWait(Duration.ofSeconds(1), 0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiplier");
    }
}
