package io.jetstreambridge.core.outbox;

import java.time.Duration;
import java.time.Instant;

/**
 * Which failed rows an operator means: all, those of one event type, those created before a time, or both.
 *
 * @param eventType     only rows of this event type; null for any
 * @param createdBefore only rows created before this instant; null for any age
 */
public record FailedRows(String eventType, Instant createdBefore) {

    /** Every failed row. */
    public static final FailedRows ALL = new FailedRows(null, null);

    public FailedRows {
        if (eventType != null && eventType.isBlank()) {
            throw new IllegalArgumentException("an event type filter must not be blank");
        }
    }

    /**
     * Rows of {@code eventType} (null for any) created more than {@code olderThan} (null for any age) before
     * {@code now}.
     */
    public static FailedRows of(String eventType, Duration olderThan, Instant now) {
        if (olderThan != null && olderThan.isNegative()) {
            throw new IllegalArgumentException("an age filter must not be negative, was " + olderThan);
        }
        return new FailedRows(eventType, olderThan == null ? null : now.minus(olderThan));
    }

    @Override
    public String toString() {
        String type = eventType == null ? "any event type" : "event type " + eventType;
        return createdBefore == null ? type : type + ", created before " + createdBefore;
    }
}
