package io.jetstreambridge.outbox.cdi;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Outbox start-up and shut-down messages ({@code JSB5070}-{@code JSB5089}), numbered like {@code BridgeLog}. Kept
 * apart from the relay's catalogue so the two can be merged into one {@code OutboxLog} without renumbering.
 */
final class OutboxLifecycleLog {

    private static final Logger LOG = Logger.getLogger("io.jetstreambridge");

    private OutboxLifecycleLog() {
    }

    static void databaseDetected(String dialect) {
        LOG.info(() -> "JSB5070: outbox database detected at start-up: " + dialect);
    }

    static void releaseFailed(int rows, Throwable error) {
        LOG.log(Level.WARNING, "JSB5071: could not release the leases of " + rows + " outbox rows at shut-down; "
                + "they are published by another instance once the leases expire", error);
    }
}
