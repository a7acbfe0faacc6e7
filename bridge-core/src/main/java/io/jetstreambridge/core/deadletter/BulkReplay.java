package io.jetstreambridge.core.deadletter;

import java.util.List;

/**
 * The outcome of one bounded bulk replay ({@link DeadLetterOperations#replayMatching}).
 *
 * @param replayed        the entries replayed, in stream order
 * @param failed          the matching entries that could not be replayed (refused, gone meanwhile), with why
 * @param nextSequence    where to go on when the limit ended this call early; 0 when every entry up to
 *                        {@code throughSequence} was looked at
 * @param throughSequence the last stream sequence this replay considers: pass it to the next call, so the records
 *                        and any new dead letters the replays cause are not taken up again
 */
public record BulkReplay(List<ReplayResult> replayed, List<Failure> failed, long nextSequence,
                         long throughSequence) {

    public BulkReplay {
        replayed = List.copyOf(replayed);
        failed = List.copyOf(failed);
    }

    public boolean hasMore() {
        return nextSequence > 0;
    }

    /** A matching entry that was not replayed. */
    public record Failure(long sequence, String eventId, String reason) {
    }
}
