package io.jetstreambridge.core.log;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The runtime's message catalogue: one logger, numbered messages ({@code JSB1xxx} connection, {@code JSB2xxx}
 * topology, {@code JSB3xxx} publishing, {@code JSB4xxx} consuming ({@code JSB41xx} dead-letter administration), {@code JSB9xxx} life cycle) so operators can search and alert on them.
 * No message ever contains a credential.
 */
public final class BridgeLog {

    private static final Logger LOG = Logger.getLogger("io.jetstreambridge");

    private BridgeLog() {
    }

    public static void connected(String name, String url) {
        LOG.info(() -> "JSB1001: connection '" + name + "' connected to " + url);
    }

    public static void connectionEvent(String name, String event, String url) {
        LOG.info(() -> "JSB1002: connection '" + name + "' " + event + (url == null ? "" : " (" + url + ")"));
    }

    public static void connectionError(String name, String error) {
        LOG.warning(() -> "JSB1003: connection '" + name + "' error: " + error);
    }

    public static void connectingInBackground(String name, String urls) {
        LOG.info(() -> "JSB1004: lazy connect: '" + name + "' keeps trying " + urls + " in the background");
    }

    public static void drainFailed(String name, Throwable error) {
        LOG.log(Level.WARNING, "JSB1005: connection '" + name + "' did not drain cleanly; closing it", error);
    }

    public static void streamProvisioned(String stream, String action, Object subjects) {
        LOG.info(() -> "JSB2001: stream '" + stream + "' " + action + ", subjects " + subjects);
    }

    public static void consumerProvisioned(String stream, String durable, String action) {
        LOG.info(() -> "JSB2002: consumer '" + durable + "' on stream '" + stream + "' " + action);
    }

    public static void consumerDrift(String stream, String durable, Object differences) {
        LOG.warning(() -> "JSB2003: consumer '" + durable + "' on stream '" + stream
                + "' differs from the configuration, left as it is: " + differences);
    }

    public static void consumerUpdated(String stream, String durable, Object differences) {
        LOG.warning(() -> "JSB2010: consumer '" + durable + "' on stream '" + stream
                + "' differed from the configuration and was updated in place: " + differences);
    }

    public static void consumerUpdateRefused(String stream, String durable, Object differences, String refusal) {
        LOG.severe(() -> "JSB2011: consumer '" + durable + "' on stream '" + stream + "' differs from the "
                + "configuration, and the server refused to update it in place (" + refusal + "); it keeps "
                + "running with its current settings: " + differences + ". Update or re-create it as "
                + "docs/consuming.md describes (existing durables that differ)");
    }

    public static void durableOfAnotherSubject(String stream, String durable, String consumes, String expected) {
        LOG.severe(() -> "JSB2012: consumer '" + durable + "' on stream '" + stream + "' consumes '" + consumes
                + "', not '" + expected + "' as the configured peers say; provisioning refused, the durable is "
                + "never re-pointed. Keep the peer order of jetstream.bridge.destination-apps, or delete the durable "
                + "deliberately once drained (docs/consuming.md#adding-and-removing-a-peer)");
    }

    public static void streamDrift(String stream, Object differences) {
        LOG.warning(() -> "JSB2004: stream '" + stream + "' differs from the configuration in settings that "
                + "cannot be changed in place: " + differences);
    }

    public static void provisioningSkipped() {
        LOG.info("JSB2005: auto-provision is off: no stream or consumer management calls are made");
    }

    public static void provisioningRetry(int attempt, java.time.Duration pause, java.time.Duration patience,
                                         Throwable error) {
        LOG.warning(() -> "JSB2007: JetStream unavailable at start-up (attempt " + attempt + "), provisioning again in "
                + pause.toMillis() + " ms, for at most " + patience.toSeconds() + " s in all: " + error.getMessage());
    }

    public static void provisioningDeferred(Throwable error) {
        LOG.log(Level.WARNING, "JSB2006: provisioning failed; it is tried again on the next (re)connect", error);
    }

    public static void publishRetry(String eventId, String subject, int attempt, String reason) {
        LOG.fine(() -> "JSB3001: publish of event " + eventId + " on " + subject + " attempt " + attempt
                + " failed transiently (" + reason + "); retrying with the same Nats-Msg-Id");
    }

    public static void handlerFailed(String eventId, long deliveries, java.time.Duration delay, Throwable error) {
        LOG.log(Level.WARNING, "JSB4001: event " + eventId + " failed on delivery " + deliveries
                + "; redelivery in " + delay.toMillis() + " ms", error);
    }

    public static void deadLettered(String eventId, String dlqSubject, String reason, Throwable error) {
        LOG.warning(() -> "JSB4002: event " + eventId + " dead-lettered to " + dlqSubject + " (" + reason + "): "
                + error);
    }

    public static void deadLetterFailed(String eventId, String dlqSubject, Throwable error) {
        LOG.log(Level.SEVERE, "JSB4003: event " + eventId + " could not be copied to " + dlqSubject
                + "; nak'ed so it is not lost", error);
    }

    public static void deadLetterHeaderLeftOut(String eventId, String header, String why) {
        LOG.warning(() -> "JSB4010: header '" + header + "' of event " + eventId
                + " cannot be sent again (" + why + "); left out of its dead-letter copy");
    }

    public static void terminated(String eventId, String reason, long deliveries, Throwable error) {
        LOG.log(Level.WARNING, "JSB4011: event " + eventId + " given up on delivery " + deliveries + " (" + reason
                + ") and terminated: the dead-letter queue is off (jetstream.bridge.dlq.enabled=false)", error);
    }

    public static void noObserver(String eventType, String resourceType, String eventId, String outcome) {
        LOG.warning(() -> "JSB4012: no observer matches event type '" + eventType + "' with resource type '"
                + resourceType + "' (first: event " + eventId + "); such events are " + outcome
                + " as jetstream.bridge.consumer.unobserved-events says. Logged once per type");
    }

    public static void maxDeliveriesHandled(String eventId, String stream, long sequence, long deliveries,
                                            String what) {
        LOG.warning(() -> "JSB4013: event " + eventId + " (stream '" + stream + "' sequence " + sequence
                + ") reached the server's max_deliver" + (deliveries > 0 ? " (" + deliveries + ")" : "")
                + " without an ack; " + what + " and deleted from the stream (max_deliver_exceeded)");
    }

    public static void maxDeliveriesFailed(String stream, long sequence, Throwable error) {
        LOG.log(Level.SEVERE, "JSB4014: a message the server gave up on (stream '" + stream + "'"
                + (sequence > 0 ? " sequence " + sequence : "") + ") could not be moved to the dead-letter queue; "
                + "it stays in the stream (health: consumer-undeliverable)", error);
    }

    public static void consumerRecovering(String durable, Throwable error) {
        LOG.log(Level.WARNING, "JSB4004: consumer '" + durable + "' lost its subscription; recovering", error);
    }

    public static void consumerStopped(String durable, int unfinished) {
        LOG.info(() -> "JSB4005: consumer '" + durable + "' stopped" + (unfinished == 0 ? ""
                : "; " + unfinished + " worker(s) did not finish within the drain time and were interrupted"));
    }

    public static void duplicateSkipped(String eventId, long deliveries) {
        LOG.fine(() -> "JSB4006: event " + eventId + " was already processed (inbox); delivery " + deliveries
                + " acked without calling observers");
    }

    public static void batchFallback(int events, Throwable error) {
        LOG.log(Level.FINE, "JSB4015: the transaction of a batch of " + events + " events rolled back; "
                + "processing them one per transaction", error);
    }

    public static void rollbackFailed(Throwable error) {
        LOG.log(Level.WARNING, "JSB4007: rolling back the consumer transaction failed", error);
    }

    public static void failureNotRecorded(String eventId, Throwable error) {
        LOG.log(Level.WARNING, "JSB4008: the failed attempt of event " + eventId
                + " could not be recorded in the inbox", error);
    }

    public static void inboxConflict(String eventId, long deliveries, java.time.Duration delay) {
        LOG.info(() -> "JSB4080: delivery " + deliveries + " of event " + eventId + " met another delivery of the "
                + "same event at its inbox row, which did not end as processed; offered again in " + delay
                + " (not counted as a failure)");
    }

    /** @param destinations the peers, the primary first */
    public static void started(String app, java.util.List<String> destinations, String stream) {
        LOG.info(() -> "JSB9001: JetStream Bridge started: app '" + app + "', "
                + (destinations.size() == 1 ? "destination '" + destinations.get(0) + "'"
                : "destinations '" + String.join("', '", destinations) + "' (primary '" + destinations.get(0) + "')")
                + ", stream '" + stream + "'");
    }

    public static void stopped(String app) {
        LOG.info(() -> "JSB9002: JetStream Bridge for app '" + app + "' stopped");
    }

    public static void deadLetterReplayed(String stream, long dlqSequence, String messageId, String subject,
                                          long replaySequence, boolean duplicate, long recordSequence) {
        LOG.info(() -> "JSB4101: dead letter " + dlqSequence + " of stream '" + stream + "' replayed to " + subject
                + " as " + messageId + " (stream sequence " + replaySequence + (duplicate ? ", already there" : "")
                + "); recorded at sequence " + recordSequence);
    }

    public static void deadLettersPurged(String stream, String dlqSubject, String which, long count) {
        LOG.info(() -> "JSB4102: purged " + count + " dead letter(s) (" + which + ") from " + dlqSubject
                + " of stream '" + stream + "'");
    }

    public static void telemetry(String state) {
        LOG.info(() -> "JSB9003: telemetry " + state);
    }

    public static void telemetryApiHidden() {
        LOG.warning(() -> "JSB9020: telemetry off although the server offers an OpenTelemetry bean (MicroProfile "
                + "Telemetry): its API is not visible to the application, so the bridge records no metrics and no "
                + "traces. On Open Liberty add <classloader apiTypeVisibility=\"+third-party\"/> to the "
                + "application's element in server.xml, and name <feature>mpTelemetry-2.0</feature> (microProfile-6.1 "
                + "brings mpTelemetry-1.1, which has no metrics API); see docs/observability.md");
    }

    public static void telemetryWithoutMetricsApi() {
        LOG.warning(() -> "JSB9021: telemetry off: the server's OpenTelemetry API has no io.opentelemetry.api.metrics "
                + "package (MicroProfile Telemetry 1.x, e.g. Open Liberty's mpTelemetry-1.1 that microProfile-6.1 "
                + "brings), which the bridge records its metrics and traces with. Add MicroProfile Telemetry 2.0: on "
                + "Open Liberty <feature>mpTelemetry-2.0</feature> (microProfile-6.1 accepts it in place of 1.1); "
                + "see docs/observability.md");
    }

    public static void payloadNaming(String app, String naming) {
        LOG.info(() -> "JSB9030: payloads of app '" + app + "' are mapped with JSON-B, property naming " + naming);
    }

    /** @param ignoredNaming a {@code payload.naming} other than identity that the application's Jsonb overrides */
    public static void payloadJsonbOfApplication(String app, String ignoredNaming) {
        LOG.info(() -> "JSB9031: payloads of app '" + app + "' are mapped with the application's @BridgeJsonb Jsonb");
        if (ignoredNaming != null) {
            LOG.warning(() -> "JSB9032: jetstream.bridge.payload.naming=" + ignoredNaming + " of app '" + app
                    + "' is ignored: the application's @BridgeJsonb Jsonb decides the names");
        }
    }

    public static void workerRestarted(String durable, String worker, Throwable error) {
        LOG.log(Level.SEVERE, "JSB4030: worker " + worker + " of consumer '" + durable + "' was ended by " + error
                + "; it starts its loop again", error);
    }

    public static void observerVirtualMachineError(String eventId, Throwable error) {
        LOG.log(Level.SEVERE, "JSB4031: the observers of event " + eventId + " ended with " + error
                + ", a sign that the JVM itself is in trouble; the message fails like any other (retried, "
                + "dead-lettered at its last delivery) and the worker carries on", error);
    }

    public static void keepAliveExpiredWhileWaiting(long streamSequence, long deliveries, java.time.Duration timeout) {
        LOG.warning(() -> "JSB4032: the message at stream sequence " + streamSequence + " (delivery " + deliveries
                + ") waited in its batch while one step took longer than the processing timeout ("
                + timeout.toMillis() + " ms), so it is no longer kept alive; it is left to the server's redelivery "
                + "instead of being handled now, which could run its observers twice at the same time");
    }

    public static void databaseUnreachable(String durable, Throwable failure, Throwable probeFailure) {
        LOG.log(Level.WARNING, "JSB4050: consumer '" + durable + "' cannot reach its database (" + probeFailure
                + "); it stops fetching and holds its messages, without counting the failure, until the database "
                + "answers again", failure);
    }

    public static void databaseAnswersAgain(String durable, java.time.Duration outage) {
        LOG.info(() -> "JSB4051: the database of consumer '" + durable + "' answers again after "
                + outage.toMillis() + " ms; fetching resumes");
    }

    public static void heldMessageReturned(String eventId, long deliveries) {
        LOG.warning(() -> "JSB4052: event " + eventId + " (delivery " + deliveries + ") was held while the database "
                + "did not answer and the consumer stops: nak'ed, to be delivered again");
    }

    public static void deadLettersReplayed(String stream, String which, int replayed, int alreadyReplayed,
                                           int failed) {
        LOG.info(() -> "JSB4110: bulk replay (" + which + ") of dead letters of stream '" + stream + "': "
                + replayed + " replayed, " + alreadyReplayed + " already replayed, " + failed + " failed");
    }

    public static void managedLookupFailed(String jndiName, String fallback, Throwable error) {
        LOG.warning(() -> "JSB9010: the container's " + jndiName + " could not be looked up (" + error
                + "); the bridge runs on " + fallback + " of its own instead, outside the server's thread "
                + "management and application context");
    }
}
