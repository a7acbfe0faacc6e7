package io.jetstreambridge.core.deadletter;

import java.time.Instant;

/**
 * What a DLQ entry says about its replay (the {@code x-dlq-replay*} headers).
 *
 * @param replayedAt         when it was replayed
 * @param messageId          the replayed message's {@code Nats-Msg-Id}: {@code {event_id}:replay:{dlq sequence}}
 * @param subject            the subject it was replayed to
 * @param replaySequence     the replayed message's stream sequence
 * @param fromDlqSequence    the sequence of the DLQ entry that was replayed (this record replaced it)
 */
public record ReplayRecord(Instant replayedAt, String messageId, String subject, long replaySequence,
                           long fromDlqSequence) {
}
