package io.jetstreambridge.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A minimal "wait until" for the fixture itself.
 *
 * <p>The fixture is shipped in the test-jar and reused by other modules, whose test classpath is not
 * guaranteed to contain Awaitility; this keeps it dependent on nothing but jnats and JUnit.
 */
final class Poller {

    private static final Duration INTERVAL = Duration.ofMillis(50);

    private Poller() {
    }

    /**
     * Polls {@code condition} until it is true.
     *
     * @param what        completes the sentence "Timed out after 10s waiting for ..."
     * @param diagnostics appended to the timeout message; evaluated only on failure
     * @throws NatsFixtureException on timeout, when interrupted (with the interrupt flag restored), or
     *                              when {@code condition} itself throws one
     */
    static void await(Duration timeout, String what, BooleanSupplier condition, Supplier<String> diagnostics) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new NatsFixtureException("Timed out after " + timeout.toMillis() + " ms waiting for "
                        + what + ".\n" + diagnostics.get());
            }
            pause(what);
        }
    }

    private static void pause(String what) {
        try {
            Thread.sleep(INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NatsFixtureException("Interrupted while waiting for " + what, e);
        }
    }
}
