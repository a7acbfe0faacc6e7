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

    static void leasesReleased(int rows, String owner) {
        LOG.info(() -> "JSB5071: shut-down: released the leases of " + rows + " outbox rows claimed by " + owner
                + " but not published; other instances publish them now");
    }

    static void releaseFailed(String owner, Throwable error) {
        LOG.log(Level.WARNING, "JSB5072: shut-down: could not release the outbox leases of " + owner + "; other "
                + "instances publish those rows once the leases expire (outbox.relay.lease)", error);
    }
}
