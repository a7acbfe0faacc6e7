package io.jetstreambridge.config;

import java.time.Duration;

/**
 * The transactional outbox and its relay.
 *
 * @param database            {@code auto} or the database kind of the outbox table
 * @param perResourceOrdering events of one resource leave in commit order
 * @param lease               how long a relay owns claimed rows before others may take them
 */
public record OutboxSettings(boolean enabled, String database, boolean perResourceOrdering, int batchSize, Duration pollInterval,
                             Duration gracePeriod, Duration lease, int maxAttempts, Duration retryBackoff) {

    public static final Duration MAX_RETRY_WAIT = Duration.ofMinutes(5);

    /** Wait after failed attempt number {@code attempts} (from 1): doubling, at most {@link #MAX_RETRY_WAIT}. */
    public Duration retryWait(int attempts) {
        Duration wait = retryBackoff.multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 20));
        return wait.compareTo(MAX_RETRY_WAIT) > 0 ? MAX_RETRY_WAIT : wait;
    }

    /**
     * Longest time between two publishes of one row by the relays: a relay that crashed after JetStream's ack but
     * before marking the row sent leaves it leased; after the lease and the next poll, another relay publishes it
     * again. The stream's duplicate window must exceed this for the second copy to be dropped.
     */
    public Duration republishSpan() {
        return lease.plus(pollInterval).plus(gracePeriod);
    }
}
