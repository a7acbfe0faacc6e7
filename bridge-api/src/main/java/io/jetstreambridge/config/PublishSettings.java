package io.jetstreambridge.config;

import java.time.Duration;

/**
 * Direct publishing: how long one attempt waits for the ack, how many attempts a transient failure gets, the
 * first retry wait (doubling up to {@link #MAX_RETRY_WAIT}) and the in-flight window of asynchronous publishes.
 */
public record PublishSettings(Duration ackTimeout, int maxAttempts, Duration retryBackoff, int asyncWindow) {

    public static final Duration MAX_RETRY_WAIT = Duration.ofSeconds(5);

    /** The waits between attempts: {@code retryBackoff}, doubling, at most {@link #MAX_RETRY_WAIT}. */
    public RetryWait retryWaits() {
        return RetryWait.doubling(retryBackoff, MAX_RETRY_WAIT);
    }

    /** Wait before attempt {@code attempt + 1} (attempts count from 1). */
    public Duration retryWait(int attempt) {
        return retryWaits().after(attempt);
    }

    /** Longest time one publish can take, all attempts and waits included: the duplicate window must exceed it. */
    public Duration worstCaseSpan() {
        Duration span = ackTimeout.multipliedBy(maxAttempts);
        for (int attempt = 1; attempt < maxAttempts; attempt++) {
            span = span.plus(retryWait(attempt));
        }
        return span;
    }
}
