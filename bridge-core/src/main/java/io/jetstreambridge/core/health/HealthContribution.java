package io.jetstreambridge.core.health;

import io.jetstreambridge.config.UserInfoRedaction;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one part of the bridge says about its health: UP, or DOWN with the reasons why, and data for operators.
 * Data values are {@code String}, {@code Long} or {@code Boolean}, as MicroProfile Health allows. Every text passes
 * through {@link UserInfoRedaction}, which masks user info in URLs ({@code nats://user:password@host} becomes
 * {@code nats://******@host}), so an exception message never carries a credential into a health response.
 *
 * @param reasons why the part is DOWN; empty when it is UP
 * @param data    details by key, in the order they were added
 */
public record HealthContribution(List<String> reasons, Map<String, Object> data) {

    private static final int LONGEST_TEXT = 300;

    public HealthContribution {
        reasons = List.copyOf(reasons);
        data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    public boolean up() {
        return reasons.isEmpty();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Masks URL user info and shortens very long texts (stack-trace-like messages). */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String masked = UserInfoRedaction.redact(text);
        return masked.length() <= LONGEST_TEXT ? masked : masked.substring(0, LONGEST_TEXT) + "…";
    }

    /** The type and message of an error, redacted, for data and reasons. */
    public static String describe(Throwable error) {
        String message = error.getMessage();
        return redact(error.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message));
    }

    /** Collects reasons and data; a {@code null} value leaves the key out. */
    public static final class Builder {

        private final List<String> reasons = new ArrayList<>();
        private final Map<String, Object> data = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder down(String reason) {
            reasons.add(redact(reason));
            return this;
        }

        public Builder data(String key, String value) {
            if (value != null) {
                data.put(key, redact(value));
            }
            return this;
        }

        public Builder data(String key, long value) {
            data.put(key, value);
            return this;
        }

        public Builder data(String key, boolean value) {
            data.put(key, value);
            return this;
        }

        /** A duration as whole milliseconds, under a key that should end in {@code -ms}. */
        public Builder millis(String key, Duration value) {
            if (value != null) {
                data.put(key, value.toMillis());
            }
            return this;
        }

        /** An instant as ISO-8601 text. */
        public Builder instant(String key, Instant value) {
            if (value != null) {
                data.put(key, value.toString());
            }
            return this;
        }

        /** Adds another contribution's reasons and data as they are. */
        public Builder include(HealthContribution other) {
            reasons.addAll(other.reasons());
            data.putAll(other.data());
            return this;
        }

        /** Adds another contribution's reasons as they are, and its data with {@code prefix-} before each key. */
        public Builder include(String prefix, HealthContribution other) {
            reasons.addAll(other.reasons());
            other.data().forEach((key, value) -> data.put(prefix + "-" + key, value));
            return this;
        }

        public HealthContribution build() {
            return new HealthContribution(reasons, data);
        }
    }
}
