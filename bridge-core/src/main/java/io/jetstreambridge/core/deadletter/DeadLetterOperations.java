package io.jetstreambridge.core.deadletter;

import java.util.Optional;

/**
 * What operators do with this application's dead letters on {@code {app}.sync.dlq}: list, inspect, replay and
 * purge. Entries are addressed by their stream sequence.
 *
 * <p>{@link DeadLetterQueue} is the engine (plain Java: a jnats connection and the topology); in a CDI
 * application inject {@code DeadLetterService}, which uses the bridge's connection.
 *
 * <p>Replay publishes the original body to the original subject with {@code Nats-Msg-Id}
 * {@code {event_id}:replay:{dlq sequence}} and then replaces the DLQ entry by a record of the replay (the same
 * message plus {@code x-dlq-replay*} headers), so a second replay of the entry is refused, and a replay repeated
 * after a crash is dropped as a duplicate by JetStream (and by the inbox beyond the duplicate window).
 *
 * <p>Every method throws {@link DeadLetterException} when the server refuses or does not answer.
 */
public interface DeadLetterOperations {

    /** The DLQ subject, {@code {app}.sync.dlq}. */
    String subject();

    /** The stream that holds it. */
    String stream();

    /** Entries on the DLQ subject now, replay records included (one {@code STREAM.INFO}). */
    long count();

    /**
     * Up to {@code limit} entries from {@code fromSequence} on (1 for the start), in stream order, replay records
     * included ({@link DeadLetter#isReplayed()}).
     *
     * @throws IllegalArgumentException when {@code limit} is not 1 to 1000 or {@code fromSequence} is negative
     */
    DeadLetterPage list(long fromSequence, int limit);

    /** The entry at this sequence with reason, context, headers and body; empty when there is none. */
    Optional<DeadLetter> inspect(long sequence);

    /**
     * Republishes the entry to its original subject (context {@code original_subject}, else this application's
     * consume subject) with a fresh, deterministic message id, and records the replay.
     *
     * @throws DeadLetterNotFoundException         when there is no entry at this sequence
     * @throws DeadLetterAlreadyReplayedException  when the entry is the record of an earlier replay
     */
    ReplayResult replay(long sequence);

    /**
     * Replays, in stream order, the waiting entries (not replay records) that match {@code filter}: at most
     * {@code limit} per call, from {@code fromSequence} (1 for the start) through {@code throughSequence} (0: the
     * stream's last sequence when the call begins, so the records and new dead letters the replays cause are not
     * taken up again). Each entry goes through {@link #replay(long)}, so a bulk replay repeated, or running twice
     * at once, replays no entry twice; an entry that cannot be replayed is reported in the result, not thrown.
     * Continue with {@link BulkReplay#nextSequence()} and {@link BulkReplay#throughSequence()} while
     * {@link BulkReplay#hasMore()}.
     *
     * @throws IllegalArgumentException when {@code limit} is not 1 to 1000 or a sequence is negative
     */
    BulkReplay replayMatching(DeadLetterFilter filter, long fromSequence, long throughSequence, int limit);

    /**
     * Deletes one entry.
     *
     * @return false when there was no entry at this sequence
     */
    boolean purge(long sequence);

    /** Deletes every entry on the DLQ subject; returns how many. */
    long purgeAll();

    /** Deletes the entries that record a replay; returns how many. */
    long purgeReplayed();
}
