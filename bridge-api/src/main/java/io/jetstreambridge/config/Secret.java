package io.jetstreambridge.config;

import java.util.Objects;

/** A credential that prints as asterisks, so no log line, exception or {@code toString} ever shows it. */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return value == null ? null : new Secret(value);
    }

    /** The credential itself, for handing to the NATS client only. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "******";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && other.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
