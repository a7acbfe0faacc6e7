package io.jetstreambridge.core.consume;

import io.jetstreambridge.consume.UnrecoverableEventException;
import io.jetstreambridge.core.transaction.CauseChain;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Decides what happens to a message whose handler failed: retried later with a growing delay, or dead-lettered
 * because it can never succeed or has used its last delivery.
 */
public final class FailureClassifier {

    static final Duration FIRST_DELAY_WITHOUT_BACKOFF = Duration.ofSeconds(1);
    static final Duration LONGEST_DELAY = Duration.ofMinutes(5);

    private final int maxDeliver;
    private final List<Duration> backoff;
    private final Set<String> unrecoverableTypes;

    /**
     * @param backoff            delays per delivery; the last one repeats. Empty: 1 s doubling, at most 5 min
     * @param unrecoverableTypes class names that mean "never retry", besides {@link UnrecoverableEventException}
     */
    public FailureClassifier(int maxDeliver, List<Duration> backoff, Set<String> unrecoverableTypes) {
        this.maxDeliver = maxDeliver;
        this.backoff = List.copyOf(backoff);
        this.unrecoverableTypes = Set.copyOf(unrecoverableTypes);
    }

    public Decision classify(Throwable error, long deliveries) {
        if (error instanceof NoObserverException) {
            return Decision.deadLetter(DeadLetterReason.NO_OBSERVER);
        }
        if (isUnrecoverable(error)) {
            return Decision.deadLetter(DeadLetterReason.UNRECOVERABLE);
        }
        if (deliveries >= maxDeliver) {
            return Decision.deadLetter(DeadLetterReason.MAX_DELIVER_EXCEEDED);
        }
        return Decision.retryAfter(nakDelay(deliveries));
    }

    /** The delay before delivery {@code deliveries + 1}. */
    public Duration nakDelay(long deliveries) {
        int step = (int) Math.max(0, Math.min(deliveries - 1, Integer.MAX_VALUE));
        if (!backoff.isEmpty()) {
            return backoff.get(Math.min(step, backoff.size() - 1));
        }
        Duration delay = FIRST_DELAY_WITHOUT_BACKOFF.multipliedBy(1L << Math.min(step, 20));
        return delay.compareTo(LONGEST_DELAY) > 0 ? LONGEST_DELAY : delay;
    }

    private boolean isUnrecoverable(Throwable error) {
        return CauseChain.anyMatch(error, t -> t instanceof UnrecoverableEventException || listedAsUnrecoverable(t));
    }

    private boolean listedAsUnrecoverable(Throwable error) {
        for (Class<?> type = error.getClass(); type != null; type = type.getSuperclass()) {
            if (unrecoverableTypes.contains(type.getName())) {
                return true;
            }
        }
        return false;
    }

    /** Retry after {@code delay}, or dead-letter for {@code reason}. */
    public record Decision(Duration delay, DeadLetterReason reason) {

        static Decision retryAfter(Duration delay) {
            return new Decision(Objects.requireNonNull(delay), null);
        }

        static Decision deadLetter(DeadLetterReason reason) {
            return new Decision(null, Objects.requireNonNull(reason));
        }

        public boolean deadLetters() {
            return reason != null;
        }
    }
}
