package io.jetstreambridge.reliability;

import static org.awaitility.Awaitility.await;

import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;

/** Time to recover: from the moment a fault was injected until the consumer's effects grow again. */
final class Recovery {

    private Recovery() {
    }

    /**
     * Waits for {@code effects} to grow past its value now, and returns the time since {@code faultAt}; null when
     * it did not grow within {@code atMost}.
     */
    static Duration measure(Instant faultAt, LongSupplier effects, Duration atMost) {
        long baseline = effects.getAsLong();
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> effects.getAsLong() > baseline);
            return Duration.between(faultAt, Instant.now());
        } catch (ConditionTimeoutException e) {
            return null;
        }
    }

    static String format(Duration recovery) {
        if (recovery == null) {
            return "did not recover";
        }
        return String.format(java.util.Locale.ROOT, "%.1f s", recovery.toMillis() / 1000.0);
    }
}
