package io.jetstreambridge.core.deadletter;

import java.util.List;

/**
 * One page of {@link DeadLetterOperations#list(long, int)}.
 *
 * @param entries      dead letters in stream order
 * @param nextSequence where the next page starts, or 0 when this page reached the end (a full page may be
 *                     followed by an empty one)
 */
public record DeadLetterPage(List<DeadLetter> entries, long nextSequence) {

    public DeadLetterPage {
        entries = List.copyOf(entries);
    }

    public boolean hasMore() {
        return nextSequence > 0;
    }
}
