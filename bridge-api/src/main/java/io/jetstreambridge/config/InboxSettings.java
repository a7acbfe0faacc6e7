package io.jetstreambridge.config;

/** The inbox: consumed event ids recorded in the observers' transaction (exactly-once effects). */
public record InboxSettings(boolean enabled) {
}
