package io.jetstreambridge.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The transactional outbox and its relay.
 *
 * @param database            {@code auto} or the database kind of the outbox table
 * @param ordering            whether events of one resource leave in commit order ({@code outbox.ordering})
 * @param sentRows            what becomes of a row once JetStream acknowledged it
 * @param lease               how long a relay owns claimed rows before others may take them
 */
public record OutboxSettings(boolean enabled, String database, Ordering ordering, SentRows sentRows,
                             int batchSize, Duration pollInterval,
                             Duration gracePeriod, Duration lease, int maxAttempts, Duration retryBackoff) {

    public static final Duration MAX_RETRY_WAIT = Duration.ofMinutes(5);

    /** In which order the relay sends rows ({@code outbox.ordering}). */
    public enum Ordering {
        /** No order promised: rows are claimed as they are due, many at a time. */
        NONE,
        /**
         * Rows of one resource (event type, resource type and id) in commit order: only the oldest unfinished row of
         * each resource is claimable, so a failing row holds back the later rows of its resource.
         */
        RESOURCE
    }

    /** What the relay does with a row JetStream acknowledged ({@code outbox.sent-rows}). */
    public enum SentRows {
        /** Deleted in the transaction that claimed it: the table holds only unfinished rows. */
        DELETE,
        /** Kept with status {@code sent}, {@code sent_at} and {@code stream_seq} until the retention clean-up. */
        KEEP
    }

    /** The waits between a row's attempts: {@code retryBackoff}, doubling, at most {@link #MAX_RETRY_WAIT}. */
    public RetryWait retryWaits() {
        return RetryWait.doubling(retryBackoff, MAX_RETRY_WAIT);
    }

    /** Wait after failed attempt number {@code attempts} (from 1): doubling, at most {@link #MAX_RETRY_WAIT}. */
    public Duration retryWait(int attempts) {
        return retryWaits().after(attempts);
    }

    /**
     * Longest time between two publishes of one row by the relays: a relay that crashed after JetStream's ack but
     * before marking the row sent leaves it leased; after the lease and the next poll, another relay publishes it
     * again. The stream's duplicate window must exceed this for the second copy to be dropped.
     */
    public Duration republishSpan() {
        return lease.plus(pollInterval).plus(gracePeriod);
    }

    /**
     * The longest time over which the relays may publish one row with the same {@code Nats-Msg-Id} while connected,
     * from its first attempt to its last: {@code maxAttempts} attempts, each waiting up to {@code ackTimeout} (a
     * publish can be stored however late its ack is lost), the retry waits between them, each retry found up to one
     * poll interval late, and after the last attempt the {@link #republishSpan()} of a relay that crashed before
     * marking the row sent. Only inside the stream's duplicate window is a second copy dropped, so the window must
     * be longer (see {@link #duplicateWindowProblem}).
     */
    public Duration retrySpan(Duration ackTimeout) {
        Duration span = ackTimeout.multipliedBy(maxAttempts).plus(pollInterval.multipliedBy(maxAttempts - 1L));
        for (int attempts = 1; attempts < maxAttempts; attempts++) {
            span = span.plus(retryWait(attempts));
        }
        return span.plus(republishSpan());
    }

    /**
     * Why a stream with this duplicate window cannot take this outbox's retries (what would be allowed), or empty
     * when the window is longer than {@link #retrySpan}. Checked at start-up: on the configured window when the
     * bridge provisions the stream, on the stream's own window once connected otherwise.
     */
    public Optional<String> duplicateWindowProblem(Duration window, Duration ackTimeout) {
        Duration span = retrySpan(ackTimeout);
        if (!enabled || window.compareTo(span) > 0) {
            return Optional.empty();
        }
        return Optional.of("must be longer than the outbox's retry span (" + Durations.format(span) + ": "
                + "outbox.relay.max-attempts x publish.ack-timeout, the doubling waits from outbox.relay.retry-backoff "
                + "and a poll interval per retry, then outbox.relay.lease + poll-interval + grace-period), or a row "
                + "whose ack was lost can be stored twice; raise jetstream.bridge.stream.duplicate-window or lower "
                + "outbox.relay.max-attempts or outbox.relay.retry-backoff");
    }
}
