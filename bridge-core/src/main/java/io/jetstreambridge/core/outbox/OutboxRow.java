package io.jetstreambridge.core.outbox;

import java.time.Instant;

/** A row as operators see it (failed-row listings). */
public record OutboxRow(long id, String eventId, String eventType, String resourceType, String resourceId,
                        String subject, String status, int attempts, String lastError, Instant createdAt,
                        Instant nextAttemptAt, Instant sentAt) {
}
