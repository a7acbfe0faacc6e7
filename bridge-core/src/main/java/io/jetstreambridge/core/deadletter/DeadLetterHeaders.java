package io.jetstreambridge.core.deadletter;

/**
 * Header names of dead-letter messages. The first four are the wire contract's (shared with the Ruby gem); the
 * {@code x-replay-*} headers travel on a replayed message, and the {@code x-dlq-replay*} headers mark the DLQ
 * entry that records a replay. Extra headers are allowed by the contract, so both stay wire-compatible.
 */
public final class DeadLetterHeaders {

    public static final String DEAD_LETTER = "x-dead-letter";
    public static final String REASON = "x-dlq-reason";
    public static final String DELIVERIES = "x-deliveries";
    public static final String CONTEXT = "x-dlq-context";

    /** On a replayed message: the event id of the original (the body's, unchanged). */
    public static final String REPLAY_OF_EVENT_ID = "x-replay-of-event-id";
    /** On a replayed message: the stream sequence of the DLQ entry it was replayed from. */
    public static final String REPLAY_OF_DLQ_SEQUENCE = "x-replay-of-dlq-sequence";
    /** On a replayed message: when it was replayed (ISO-8601 UTC). */
    public static final String REPLAYED_AT = "x-replayed-at";

    /** On the DLQ entry that records a replay: when. */
    public static final String DLQ_REPLAYED_AT = "x-dlq-replayed-at";
    /** On the DLQ entry that records a replay: the replayed message's {@code Nats-Msg-Id}. */
    public static final String DLQ_REPLAY_MSG_ID = "x-dlq-replay-msg-id";
    /** On the DLQ entry that records a replay: the subject it was replayed to. */
    public static final String DLQ_REPLAY_SUBJECT = "x-dlq-replay-subject";
    /** On the DLQ entry that records a replay: the replayed message's stream sequence. */
    public static final String DLQ_REPLAY_SEQUENCE = "x-dlq-replay-sequence";
    /** On the DLQ entry that records a replay: the sequence of the DLQ entry it replaces. */
    public static final String DLQ_REPLAYED_FROM_SEQUENCE = "x-dlq-replayed-from-sequence";

    private DeadLetterHeaders() {
    }

    /**
     * JetStream's own publish headers ({@code Nats-Msg-Id}, {@code Nats-Expected-*}, {@code Nats-Rollup}, ...),
     * which neither a dead-letter copy nor a replay takes over from the message it copies: a stored expectation
     * (an expected last sequence) would make the copy's publish fail, a rollup would purge the subject it lands on.
     * The copy sets its own message id.
     */
    public static boolean isJetStreamHeader(String name) {
        return name.regionMatches(true, 0, "Nats-", 0, 5);
    }
}
