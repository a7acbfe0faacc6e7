package io.jetstreambridge.config;

/** The inbox: consumed event ids recorded in the observers' transaction (exactly-once effects). */
public record InboxSettings(boolean enabled) {

    /**
     * Length of the inbox table's text columns: event id, event type, resource type and id, subject and stream
     * (the error column holds more).
     */
    public static final int TEXT_COLUMN_LENGTH = 255;
}
