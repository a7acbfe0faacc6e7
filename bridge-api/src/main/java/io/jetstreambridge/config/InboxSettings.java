package io.jetstreambridge.config;

/** The inbox: consumed event ids recorded in the observers' transaction (exactly-once effects). */
public record InboxSettings(boolean enabled) {

    /** Length of the inbox table's {@code subject} column (and of its other text columns but the error). */
    public static final int MAX_SUBJECT_LENGTH = 255;
}
