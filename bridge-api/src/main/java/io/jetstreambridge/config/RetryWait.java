package io.jetstreambridge.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The one rule for how long to wait before another attempt: {@code initial} after the first failed attempt,
 * multiplied by {@code multiplier} after each further one, never more than {@code max}. The direct publisher's
 * retries ({@code publish.retry-backoff}, at most 5 s), the outbox's next attempt ({@code outbox.relay.retry-backoff},
 * at most 5 min) and the consumer's nak delay without {@code consumer.backoff} (1 s, at most 5 min) all use it.
 *
 * @param initial    the wait after the first failed attempt; not negative
 * @param multiplier how much longer each further wait is; at least 1
 * @param max        the longest wait, also when {@code initial} is longer; not negative
 */
public record RetryWait(Duration initial, int multiplier, Duration max) {

    /** Waits grow at most this many times: more would overflow long before any {@code max} matters. */
    private static final int MAX_STEPS = 20;

    public RetryWait {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || max.isNegative()) {
            throw new IllegalArgumentException("waits cannot be negative: initial " + initial + ", max " + max);
        }
        if (multiplier < 1) {
            throw new IllegalArgumentException("multiplier must be at least 1: " + multiplier);
        }
    }

    /** Doubling from {@code initial}, at most {@code max}. */
    public static RetryWait doubling(Duration initial, Duration max) {
        return new RetryWait(initial, 2, max);
    }

    /**
     * The wait after failed attempt number {@code attempts} (counted from 1; 0 or less counts as 1):
     * {@code initial × multiplier^(attempts - 1)}, at most {@code max}.
     */
    public Duration after(long attempts) {
        long steps = Math.min(Math.max(attempts - 1, 0), MAX_STEPS);
        Duration wait = initial;
        for (long i = 0; i < steps && wait.compareTo(max) < 0; i++) {
            wait = wait.multipliedBy(multiplier);
        }
        return wait.compareTo(max) > 0 ? max : wait;
    }
}
