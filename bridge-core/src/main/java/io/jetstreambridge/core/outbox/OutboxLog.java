package io.jetstreambridge.core.outbox;

import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The outbox's message catalogue, beside the runtime's {@code BridgeLog}: one logger, numbered messages
 * ({@code JSB50xx} relay and outbox table) so operators can search and alert on them. No message ever contains a
 * credential.
 */
public final class OutboxLog {

    private static final Logger LOG = Logger.getLogger("io.jetstreambridge");

    private OutboxLog() {
    }

    public static void fastPathFailed(Throwable error) {
        LOG.warning(() -> "JSB5001: fast-path relay failed; the sweeper publishes the rows later: " + error);
    }

    /** Auto-provision off: the stream's own duplicate window is shorter than the outbox's retry span. */
    public static void duplicateWindowTooShort(String key, String value, String why) {
        LOG.severe(() -> "JSB5002: " + key + " = " + value + " " + why + ". The outbox relay does not start; rows "
                + "stay pending until the stream's window is raised and the application restarted");
    }

    public static void cleanUpFailed(Throwable error) {
        LOG.warning(() -> "JSB5003: outbox clean-up failed, tried again later: " + error);
    }

    /** A sweeper round failed after a good one, or with another error than the last: repeats go to FINE. */
    public static void sweepFailed(Throwable error, boolean repeated) {
        LOG.log(repeated ? Level.FINE : Level.WARNING, "JSB5010: outbox sweeper round failed; the rows stay "
                + "pending and the next round tries again" + (repeated ? " (same error as the last round)" : ""),
                error);
    }

    public static void sweepRecovered(int failedRounds) {
        LOG.info(() -> "JSB5011: outbox sweeper rounds succeed again after " + failedRounds + " failed round(s)");
    }

    /** One line per relay round with failed rows, not one per row: a stream-wide refusal fails the whole batch. */
    public static void attemptsFailed(int failed, int rows, String firstEventId, Throwable firstError) {
        LOG.warning(() -> "JSB5012: " + failed + " of " + rows + " outbox row(s) in a relay round were refused "
                + "or not acknowledged in time (a counted attempt) and are retried later; first: event "
                + firstEventId + ": " + firstError);
    }

    public static void rowFailed(String eventId, long rowId, int attempts, Throwable error) {
        String stored = error instanceof TimeoutException
                ? "its publish was not acknowledged in time, so it may be in the stream" : "it is not in the stream";
        LOG.severe(() -> "JSB5013: outbox row " + rowId + " (event " + eventId + ") is now 'failed' after "
                + attempts + " counted attempt(s); " + stored + "; it is not retried unless an operator retries it: "
                + error);
    }

    /** Rows JetStream did not answer for (no connection, no responders): retried, not counted. */
    public static void attemptsUnanswered(int unanswered, int rows, String firstEventId, Throwable firstError) {
        LOG.info(() -> "JSB5014: " + unanswered + " of " + rows + " outbox row(s) in a relay round got no answer "
                + "from JetStream; retried later, no attempt counted; first: event " + firstEventId + ": "
                + firstError);
    }

    public static void relayPaused() {
        LOG.warning("JSB5015: outbox relay paused: the NATS connection is not CONNECTED; rows stay pending and "
                + "no attempt is counted until it is back");
    }

    public static void relayResumed() {
        LOG.info("JSB5016: outbox relay resumed: the NATS connection is CONNECTED again");
    }

    public static void streamWindowUnreadable(String stream, Exception e) {
        LOG.log(Level.SEVERE, e, () -> "JSB5050: cannot read the duplicate window of stream '" + stream
                + "' to check it against the outbox's retry span; the outbox relay does not start: " + e);
    }

    /** Start-up: the configuration reads an optional index the outbox table does not have. */
    public static void optionalIndexMissing(String setting, String script) {
        LOG.warning(() -> "JSB5080: " + setting + " reads an index the outbox table does not have: the relay works, "
                + "but its queries read the table as it grows; run db/jetstream-bridge-optional/<database>/" + script
                + " from bridge-ejb-outbox (docs/schema.md, Optional indexes)");
    }

    /** Start-up: the check for optional indexes could not read the database's metadata. */
    public static void optionalIndexesUnchecked(Throwable error) {
        LOG.fine(() -> "JSB5081: could not check the outbox table's optional indexes: " + error);
    }

    public static void databaseDetected(String dialect) {
        LOG.info(() -> "JSB5070: outbox database detected at start-up: " + dialect);
    }

    public static void leasesReleased(int rows, String owner) {
        LOG.info(() -> "JSB5071: shut-down: released the leases of " + rows + " outbox rows claimed by " + owner
                + " but not published; other instances publish them now");
    }

    public static void releaseFailed(String owner, Throwable error) {
        LOG.log(Level.WARNING, "JSB5072: shut-down: could not release the outbox leases of " + owner + "; other "
                + "instances publish those rows once the leases expire (outbox.relay.lease)", error);
    }
}
