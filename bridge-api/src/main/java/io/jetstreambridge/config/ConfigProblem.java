package io.jetstreambridge.config;

/**
 * One thing wrong with the configuration: which key, the value found (masked for credentials) and what is allowed.
 */
public record ConfigProblem(String key, String value, String allowed) {

    @Override
    public String toString() {
        return key + (value == null ? " (not set)" : " = '" + value + "'") + ": " + allowed;
    }
}
