package io.jetstreambridge.runtime.telemetry.otel;

import io.jetstreambridge.runtime.telemetry.PublishKind;
import io.jetstreambridge.runtime.telemetry.PublishObservation;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** A PRODUCER span from the start of a publish to its outcome, and the counters and duration at its end. */
final class OtelPublishObservation implements PublishObservation {

    private final OpenTelemetryBridgeTelemetry telemetry;
    private final PublishKind kind;
    private final Span span;
    private final Attributes attributes;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Map<String, String> headers = new LinkedHashMap<>();

    OtelPublishObservation(OpenTelemetryBridgeTelemetry telemetry, PublishKind kind, Span span, String subject,
                           String eventType) {
        this.telemetry = telemetry;
        this.kind = kind;
        this.span = span;
        this.attributes = kind == PublishKind.RELAY
                ? Attributes.of(OpenTelemetryBridgeTelemetry.APP, telemetry.app,
                        OpenTelemetryBridgeTelemetry.SUBJECT, subject)
                : Attributes.of(OpenTelemetryBridgeTelemetry.APP, telemetry.app,
                        OpenTelemetryBridgeTelemetry.SUBJECT, subject,
                        OpenTelemetryBridgeTelemetry.EVENT_TYPE, eventType == null ? "" : eventType,
                        OpenTelemetryBridgeTelemetry.PUBLISHER, kind.attribute());
        telemetry.propagator.inject(Context.root().with(span), headers, HeaderCarriers.SETTER);
    }

    @Override
    public Map<String, String> propagationHeaders() {
        return Map.copyOf(headers);
    }

    @Override
    public void succeeded() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        span.end();
        (kind == PublishKind.RELAY ? telemetry.relayed : telemetry.published).add(1, attributes);
        recordDuration("ok");
    }

    @Override
    public void failed(Throwable error) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        span.recordException(error);
        span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
        span.end();
        (kind == PublishKind.RELAY ? telemetry.relayFailures : telemetry.publishFailures).add(1, attributes);
        recordDuration("failed");
    }

    /** Writing an outbox row is part of the caller's transaction, not a publish to time. */
    private void recordDuration(String outcome) {
        if (kind != PublishKind.OUTBOX) {
            telemetry.publishDuration.record((System.nanoTime() - startNanos) / 1e9, attributes.toBuilder()
                    .put(OpenTelemetryBridgeTelemetry.PUBLISHER, kind.attribute())
                    .put(OpenTelemetryBridgeTelemetry.OUTCOME, outcome).build());
        }
    }
}
