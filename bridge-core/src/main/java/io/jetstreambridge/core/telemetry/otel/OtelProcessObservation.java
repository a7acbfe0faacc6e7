package io.jetstreambridge.core.telemetry.otel;

import io.jetstreambridge.core.telemetry.ProcessObservation;
import io.jetstreambridge.core.telemetry.TelemetryNames;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;

/**
 * A CONSUMER span, current on the processing thread while the observers run ({@link #enter()}), and the outcome's
 * counter and duration when it closes.
 */
final class OtelProcessObservation implements ProcessObservation {

    private final OpenTelemetryBridgeTelemetry telemetry;
    private final Span span;
    private final String subject;
    private final long startNanos = System.nanoTime();
    private String eventType = "";
    private String outcome;
    /** Why the delivery was not acked, for error.type; null when it was, or was not a failure. */
    private String errorType;

    OtelProcessObservation(OpenTelemetryBridgeTelemetry telemetry, Span span, String subject) {
        this.telemetry = telemetry;
        this.span = span;
        this.subject = subject;
    }

    @Override
    public void received(String eventId, String eventType) {
        this.eventType = eventType;
        span.setAttribute(OpenTelemetryBridgeTelemetry.MESSAGE_ID, eventId);
        span.setAttribute(OpenTelemetryBridgeTelemetry.EVENT_TYPE, eventType);
    }

    @Override
    public void failed(Throwable error) {
        span.recordException(error);
        span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
    }

    @Override
    public void acked() {
        outcome = "ack";
    }

    @Override
    public void nakked(String reason) {
        outcome = "nak";
        // another delivery of the same event holding its inbox row is not a failure
        errorType = "inbox_conflict".equals(reason) ? null : reason;
        telemetry.naks.add(1, attributes().put(OpenTelemetryBridgeTelemetry.REASON, reason).build());
    }

    @Override
    public void deadLettered(String reason) {
        outcome = "dead_letter";
        errorType = reason;
        span.setAttribute(TelemetryNames.DEAD_LETTER_REASON, reason);
        telemetry.deadLettered.add(1, attributes().put(OpenTelemetryBridgeTelemetry.REASON, reason).build());
    }

    @Override
    public void terminated(String reason) {
        outcome = "terminate";
        errorType = reason;
        span.setAttribute(TelemetryNames.DEAD_LETTER_REASON, reason);
        telemetry.terminated.add(1, attributes().put(OpenTelemetryBridgeTelemetry.REASON, reason).build());
    }

    @Override
    public void retriedAlone() {
        outcome = "retried_alone";
        span.setAttribute(TelemetryNames.RETRIED_ALONE, true);
    }

    @Override
    public Current enter() {
        Scope scope = span.makeCurrent();
        return scope::close;
    }

    @Override
    public void close() {
        span.end();
        String ended = outcome == null ? "error" : outcome; // acking itself failed
        io.opentelemetry.api.common.AttributesBuilder attributes = attributes()
                .put(OpenTelemetryBridgeTelemetry.OPERATION_NAME, "process");
        String error = outcome == null ? "ack_failed" : errorType;
        if (error != null) {
            attributes.put(OpenTelemetryBridgeTelemetry.ERROR_TYPE, error);
        }
        if (!"retried_alone".equals(ended)) { // its delivery is counted when processed alone
            telemetry.consumed.add(1, attributes.build());
        }
        telemetry.processDuration.record((System.nanoTime() - startNanos) / 1e9,
                attributes.put(OpenTelemetryBridgeTelemetry.OUTCOME, ended).build());
    }

    private io.opentelemetry.api.common.AttributesBuilder attributes() {
        return Attributes.builder()
                .put(OpenTelemetryBridgeTelemetry.MESSAGING_SYSTEM, TelemetryNames.SYSTEM)
                .put(OpenTelemetryBridgeTelemetry.DESTINATION, subject)
                .put(OpenTelemetryBridgeTelemetry.APP, telemetry.app)
                .put(OpenTelemetryBridgeTelemetry.EVENT_TYPE, eventType);
    }
}
