package io.jetstreambridge.core.transaction;

import java.util.function.Predicate;

/** Walks an exception's cause chain, so each classification of a failed unit of work (consumer, inbox, outage) tests only what it looks for. */
public final class CauseChain {

    private CauseChain() {
    }

    /** Whether {@code error} or any of its causes matches (a cause that is its own cause ends the walk). */
    public static boolean anyMatch(Throwable error, Predicate<Throwable> test) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (test.test(t)) {
                return true;
            }
        }
        return false;
    }
}
