package io.jetstreambridge.core.consume;

/**
 * The {@code x-dlq-reason} values: the wire contract's three, and {@code no_observer} (an event no observer matches,
 * with {@code consumer.unobserved-events=dead-letter}), an extra value the contract's readers take as text.
 */
public enum DeadLetterReason {
    MALFORMED_JSON("malformed_json"),
    UNRECOVERABLE("unrecoverable"),
    MAX_DELIVER_EXCEEDED("max_deliver_exceeded"),
    NO_OBSERVER("no_observer");

    private final String wireName;

    DeadLetterReason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
