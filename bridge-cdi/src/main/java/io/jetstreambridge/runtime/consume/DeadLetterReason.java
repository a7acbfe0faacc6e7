package io.jetstreambridge.runtime.consume;

/** The {@code x-dlq-reason} values of the wire contract. */
public enum DeadLetterReason {
    MALFORMED_JSON("malformed_json"),
    UNRECOVERABLE("unrecoverable"),
    MAX_DELIVER_EXCEEDED("max_deliver_exceeded");

    private final String wireName;

    DeadLetterReason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
