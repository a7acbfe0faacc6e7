package io.jetstreambridge.runtime.telemetry.otel;

import io.jetstreambridge.runtime.telemetry.ProcessObservation;
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

    OtelProcessObservation(OpenTelemetryBridgeTelemetry telemetry, Span span, String subject) {
        this.telemetry = telemetry;
        this.span = span;
        this.subject = subject;
    }

    @Override
    public void received(String eventId, String eventType) {
        this.eventType = eventType;
        span.setAttribute(OpenTelemetryBridgeTelemetry.MESSAGE_ID, eventId);
        span.setAttribute(OpenTelemetryBridgeTelemetry.SPAN_EVENT_TYPE, eventType);
    }

    @Override
    public void failed(Throwable error) {
        span.recordException(error);
        span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
    }

    @Override
    public void acked() {
        outcome = "ack";
        telemetry.consumed.add(1, attributes().build());
    }

    @Override
    public void nakked(String reason) {
        outcome = "nak";
        telemetry.naks.add(1, attributes().put(OpenTelemetryBridgeTelemetry.REASON, reason).build());
    }

    @Override
    public void deadLettered(String reason) {
        outcome = "dead_letter";
        span.setAttribute("jetstream_bridge.dead_letter_reason", reason);
        telemetry.deadLettered.add(1, attributes().put(OpenTelemetryBridgeTelemetry.REASON, reason).build());
    }

    @Override
    public void terminated(String reason) {
        outcome = "terminate";
        span.setAttribute("jetstream_bridge.dead_letter_reason", reason);
        telemetry.terminated.add(1, attributes().put(OpenTelemetryBridgeTelemetry.REASON, reason).build());
    }

    @Override
    public void retriedAlone() {
        outcome = "retried_alone";
        span.setAttribute("jetstream_bridge.retried_alone", true);
    }

    @Override
    public Current enter() {
        Scope scope = span.makeCurrent();
        return scope::close;
    }

    @Override
    public void close() {
        span.end();
        telemetry.processDuration.record((System.nanoTime() - startNanos) / 1e9,
                attributes().put(OpenTelemetryBridgeTelemetry.OUTCOME, outcome == null ? "error" : outcome).build());
    }

    private io.opentelemetry.api.common.AttributesBuilder attributes() {
        return Attributes.builder().put(OpenTelemetryBridgeTelemetry.APP, telemetry.app)
                .put(OpenTelemetryBridgeTelemetry.SUBJECT, subject)
                .put(OpenTelemetryBridgeTelemetry.EVENT_TYPE, eventType);
    }
}
