package io.jetstreambridge.core.telemetry.otel;

import io.jetstreambridge.core.telemetry.PublishKind;
import io.jetstreambridge.core.telemetry.PublishObservation;
import io.jetstreambridge.core.telemetry.TelemetryNames;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.LongCounter;
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
        AttributesBuilder common = Attributes.builder()
                .put(OpenTelemetryBridgeTelemetry.MESSAGING_SYSTEM, TelemetryNames.SYSTEM)
                .put(OpenTelemetryBridgeTelemetry.DESTINATION, subject)
                .put(OpenTelemetryBridgeTelemetry.OPERATION_NAME, kind == PublishKind.OUTBOX ? "create" : "send")
                .put(OpenTelemetryBridgeTelemetry.APP, telemetry.app)
                .put(OpenTelemetryBridgeTelemetry.PUBLISHER, kind.attribute());
        if (kind != PublishKind.RELAY) { // the relay sends the stored body without reading it
            common.put(OpenTelemetryBridgeTelemetry.EVENT_TYPE, eventType == null ? "" : eventType);
        }
        this.attributes = common.build();
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
        counter().add(1, attributes);
        recordDuration(attributes);
    }

    @Override
    public void failed(Throwable error) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        span.recordException(error);
        span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
        span.end();
        // error.type: the exception's class name, as OpenTelemetry's conventions ask (few distinct values)
        Attributes failed = attributes.toBuilder()
                .put(OpenTelemetryBridgeTelemetry.ERROR_TYPE, error.getClass().getName()).build();
        counter().add(1, failed);
        recordDuration(failed);
    }

    /** Writing an outbox row is not a send to JetStream: counted on its own. */
    private LongCounter counter() {
        return kind == PublishKind.OUTBOX ? telemetry.outboxCreated : telemetry.sent;
    }

    /** Writing an outbox row is part of the caller's transaction, not a publish to time. */
    private void recordDuration(Attributes attributes) {
        if (kind != PublishKind.OUTBOX) {
            telemetry.operationDuration.record((System.nanoTime() - startNanos) / 1e9, attributes);
        }
    }
}
