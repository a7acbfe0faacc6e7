package io.jetstreambridge.core.deadletter;

/**
 * The outcome of {@link DeadLetterOperations#replay(long)}.
 *
 * @param dlqSequence     the DLQ entry that was replayed (now deleted)
 * @param eventId         the original event id (the body's)
 * @param messageId       the replayed message's {@code Nats-Msg-Id}, {@code {event_id}:replay:{dlqSequence}}
 * @param subject         where it was published
 * @param streamSequence  its stream sequence
 * @param duplicate       true when JetStream had it already (a replay repeated after a crash or concurrently)
 * @param recordSequence  the sequence of the DLQ entry that now records the replay
 */
public record ReplayResult(long dlqSequence, String eventId, String messageId, String subject, long streamSequence,
                           boolean duplicate, long recordSequence) {
}
