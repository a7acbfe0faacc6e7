package io.jetstreambridge.core.telemetry.otel;

import io.jetstreambridge.consume.JetstreamEvent;
import io.jetstreambridge.core.telemetry.BacklogReading;
import io.jetstreambridge.core.telemetry.BridgeTelemetry;
import io.jetstreambridge.core.telemetry.ProcessObservation;
import io.jetstreambridge.core.telemetry.PublishKind;
import io.jetstreambridge.core.telemetry.PublishObservation;
import io.jetstreambridge.core.telemetry.TelemetryNames;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.DoubleHistogramBuilder;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableDoubleMeasurement;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The bridge's metrics and spans through the OpenTelemetry API (MicroProfile Telemetry 2.0). Only API calls that
 * exist since OpenTelemetry 1.29 (what MicroProfile Telemetry 2.0 requires) are made. The trace context travels as
 * W3C {@code traceparent}/{@code tracestate} whatever propagators the server configures, since that is what the
 * wire contract names.
 */
public final class OpenTelemetryBridgeTelemetry implements BridgeTelemetry {

    /** The instrumentation scope of every span and instrument. */
    public static final String SCOPE = TelemetryNames.SCOPE;

    static final AttributeKey<String> APP = AttributeKey.stringKey(TelemetryNames.APP);
    static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey(TelemetryNames.EVENT_TYPE);
    static final AttributeKey<String> PUBLISHER = AttributeKey.stringKey(TelemetryNames.PUBLISHER);
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey(TelemetryNames.OUTCOME);
    static final AttributeKey<String> REASON = AttributeKey.stringKey(TelemetryNames.REASON);
    static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey(TelemetryNames.MESSAGING_SYSTEM);
    static final AttributeKey<String> DESTINATION = AttributeKey.stringKey(TelemetryNames.DESTINATION);
    static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey(TelemetryNames.OPERATION_TYPE);
    static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey(TelemetryNames.OPERATION_NAME);
    static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey(TelemetryNames.MESSAGE_ID);
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey(TelemetryNames.ERROR_TYPE);
    static final AttributeKey<String> CONSUMER_GROUP = AttributeKey.stringKey(TelemetryNames.CONSUMER_GROUP);
    static final AttributeKey<Long> DELIVERIES = AttributeKey.longKey(TelemetryNames.DELIVERIES);
    static final AttributeKey<Boolean> DUPLICATE = AttributeKey.booleanKey(TelemetryNames.DUPLICATE);

    /** Seconds: from a local ack (milliseconds) to a processing timeout (minutes). */
    private static final List<Double> DURATION_BUCKETS = List.of(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
            0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0);

    final TextMapPropagator propagator = W3CTraceContextPropagator.getInstance();
    final Tracer tracer;
    final String app;
    private final Meter meter;
    final LongCounter sent;
    final LongCounter outboxCreated;
    final LongCounter consumed;
    final LongCounter duplicates;
    final LongCounter naks;
    final LongCounter deadLettered;
    final LongCounter terminated;
    final LongCounter unobserved;
    final LongCounter maxDeliveries;
    final DoubleHistogram operationDuration;
    final DoubleHistogram processDuration;

    public OpenTelemetryBridgeTelemetry(OpenTelemetry openTelemetry, String app) {
        Objects.requireNonNull(openTelemetry, "openTelemetry");
        this.app = Objects.requireNonNull(app, "app");
        this.tracer = openTelemetry.getTracer(SCOPE);
        this.meter = openTelemetry.getMeter(SCOPE);
        sent = counter(TelemetryNames.SENT_MESSAGES, "{message}", "Messages sent to JetStream: by the direct "
                + "publisher and the outbox relay; the ones JetStream did not store carry error.type");
        outboxCreated = counter(TelemetryNames.OUTBOX_CREATED, "{event}", "Events written as outbox rows in the "
                + "caller's transaction; rows that could not be written carry error.type");
        consumed = counter(TelemetryNames.CONSUMED_MESSAGES, "{message}", "Deliveries the consumer handled, once "
                + "each; the ones not acked carry error.type");
        duplicates = counter(TelemetryNames.DUPLICATES_SKIPPED, "{message}", "Messages the inbox found already "
                + "processed: observers not called");
        naks = counter(TelemetryNames.NAKS, "{message}", "Messages nak'ed, to be delivered again");
        deadLettered = counter(TelemetryNames.DEAD_LETTERED, "{message}", "Messages copied to the dead-letter "
                + "subject");
        terminated = counter(TelemetryNames.TERMINATED, "{message}", "Messages given up on and terminated because "
                + "the dead-letter queue is off (dlq.enabled=false)");
        unobserved = counter(TelemetryNames.UNOBSERVED, "{message}", "Events no observer matched (then acked or "
                + "dead-lettered as consumer.unobserved-events says)");
        maxDeliveries = counter(TelemetryNames.MAX_DELIVERIES, "{message}", "Messages the server gave up on "
                + "(max_deliver used up without an ack) that the bridge moved off the stream: to the DLQ, or removed "
                + "with the DLQ off");
        operationDuration = histogram(TelemetryNames.OPERATION_DURATION, "From sending a message to JetStream's "
                + "ack, retries included");
        processDuration = histogram(TelemetryNames.PROCESS_DURATION, "From receiving a message to its ack, nak or "
                + "dead letter");
    }

    private LongCounter counter(String name, String unit, String description) {
        return meter.counterBuilder(name).setUnit(unit).setDescription(description).build();
    }

    private DoubleHistogram histogram(String name, String description) {
        DoubleHistogramBuilder builder = meter.histogramBuilder(name).setUnit("s").setDescription(description);
        try {
            builder.setExplicitBucketBoundariesAdvice(DURATION_BUCKETS);
        } catch (NoSuchMethodError older) {
            // an API before 1.32 has no advice: the SDK's default buckets apply
        }
        return builder.build();
    }

    @Override
    public PublishObservation startPublish(PublishKind kind, String subject, String eventType, String eventId,
                                           Map<String, String> parent) {
        Context parentContext = parent == null ? Context.current()
                : propagator.extract(Context.root(), parent, HeaderCarriers.FLAT);
        String operation = kind == PublishKind.OUTBOX ? "create" : "send";
        SpanBuilder builder = tracer.spanBuilder(operation + " " + subject)
                .setSpanKind(SpanKind.PRODUCER)
                .setParent(parentContext)
                .setAttribute(MESSAGING_SYSTEM, TelemetryNames.SYSTEM)
                .setAttribute(DESTINATION, subject)
                .setAttribute(OPERATION_TYPE, operation)
                .setAttribute(OPERATION_NAME, operation)
                .setAttribute(MESSAGE_ID, eventId)
                .setAttribute(PUBLISHER, kind.attribute());
        if (eventType != null) { // the relay sends the stored body without reading it
            builder.setAttribute(EVENT_TYPE, eventType);
        }
        Span span = builder.startSpan();
        return new OtelPublishObservation(this, kind, span, subject, eventType);
    }

    @Override
    public ProcessObservation startProcess(String subject, Map<String, List<String>> headers, long deliveries) {
        Context parent = propagator.extract(Context.root(), headers, HeaderCarriers.MULTI);
        Span span = tracer.spanBuilder("process " + subject)
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(parent)
                .setAttribute(MESSAGING_SYSTEM, TelemetryNames.SYSTEM)
                .setAttribute(DESTINATION, subject)
                .setAttribute(OPERATION_TYPE, "process")
                .setAttribute(OPERATION_NAME, "process")
                .setAttribute(DELIVERIES, deliveries)
                .startSpan();
        return new OtelProcessObservation(this, span, subject);
    }

    @Override
    public void duplicateSkipped(JetstreamEvent event) {
        duplicates.add(1, Attributes.of(APP, app, DESTINATION, event.subject(), EVENT_TYPE, event.eventType()));
        Span.current().setAttribute(DUPLICATE, true);
    }

    @Override
    public void unobserved(JetstreamEvent event) {
        unobserved.add(1, Attributes.of(APP, app, DESTINATION, event.subject(), EVENT_TYPE, event.eventType()));
    }

    @Override
    public void maxDeliveriesReached(String subject, String outcome) {
        maxDeliveries.add(1, Attributes.of(APP, app, DESTINATION, subject, OUTCOME, outcome));
    }

    @Override
    public Registration observeOutboxBacklog(Supplier<Optional<BacklogReading>> reading) {
        Attributes attributes = Attributes.of(APP, app);
        // every instance of an application reads the same table: a per-table value, to aggregate with max
        ObservableLongMeasurement pending = meter.gaugeBuilder(TelemetryNames.OUTBOX_PENDING).ofLongs().setUnit("{row}")
                .setDescription("Outbox rows waiting to be relayed").buildObserver();
        ObservableDoubleMeasurement oldestAge = meter.gaugeBuilder(TelemetryNames.OUTBOX_OLDEST_AGE).setUnit("s")
                .setDescription("Age of the oldest pending outbox row; 0 when none is pending").buildObserver();
        ObservableLongMeasurement failed = meter.gaugeBuilder(TelemetryNames.OUTBOX_FAILED).ofLongs().setUnit("{row}")
                .setDescription("Outbox rows that used up their attempts").buildObserver();
        var callback = meter.batchCallback(() -> reading.get().ifPresent(r -> {
            pending.record(r.pending(), attributes);
            oldestAge.record(r.oldestAge().toNanos() / 1e9, attributes);
            failed.record(r.failed(), attributes);
        }), pending, oldestAge, failed);
        return callback::close;
    }

    @Override
    public Registration observeConsumerPending(String durable, Supplier<OptionalLong> pending) {
        // every instance of an application shares the durable: a per-durable value, to aggregate with max; the
        // durable tells the peers of one application apart (one gauge callback each, on the one instrument)
        Attributes attributes = Attributes.of(APP, app, MESSAGING_SYSTEM, TelemetryNames.SYSTEM,
                CONSUMER_GROUP, durable);
        var gauge = meter.gaugeBuilder(TelemetryNames.CONSUMER_PENDING).ofLongs().setUnit("{message}")
                .setDescription("Messages in the stream the durable consumer has not been delivered yet")
                .buildWithCallback(measurement -> pending.get().ifPresent(n -> measurement.record(n, attributes)));
        return gauge::close;
    }
}
