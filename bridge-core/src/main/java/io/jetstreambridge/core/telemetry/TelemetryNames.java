package io.jetstreambridge.core.telemetry;

/**
 * Every metric, span attribute and metric attribute name the bridge records, in one place (no OpenTelemetry type,
 * so tests and other adapters can name them). What OpenTelemetry's messaging conventions define keeps their names
 * ({@code messaging.*}, {@code error.type}); what only the bridge has lives under {@code jetstream_bridge.}.
 * {@code docs/observability.md} lists them, with the names used before.
 */
public final class TelemetryNames {

    /** The instrumentation scope of every span and instrument. */
    public static final String SCOPE = "io.jetstreambridge";

    /** The value of {@link #MESSAGING_SYSTEM}. */
    public static final String SYSTEM = "nats";

    // metrics of OpenTelemetry's messaging conventions
    /** Counter: messages sent to JetStream (direct publisher and relay), failed ones with {@link #ERROR_TYPE}. */
    public static final String SENT_MESSAGES = "messaging.client.sent.messages";
    /** Counter: deliveries the consumer handled, once each; not acked ones with {@link #ERROR_TYPE}. */
    public static final String CONSUMED_MESSAGES = "messaging.client.consumed.messages";
    /** Histogram: from sending to JetStream's ack (direct publisher and relay). */
    public static final String OPERATION_DURATION = "messaging.client.operation.duration";
    /** Histogram: from receiving a message to its ack, nak or dead letter. */
    public static final String PROCESS_DURATION = "messaging.process.duration";

    // the bridge's own metrics
    public static final String OUTBOX_CREATED = "jetstream_bridge.outbox.created";
    public static final String DUPLICATES_SKIPPED = "jetstream_bridge.consumer.duplicates_skipped";
    public static final String NAKS = "jetstream_bridge.consumer.naks";
    public static final String DEAD_LETTERED = "jetstream_bridge.consumer.dead_lettered";
    public static final String TERMINATED = "jetstream_bridge.consumer.terminated";
    public static final String UNOBSERVED = "jetstream_bridge.consumer.unobserved";
    public static final String MAX_DELIVERIES = "jetstream_bridge.consumer.max_deliveries";
    public static final String CONSUMER_PENDING = "jetstream_bridge.consumer.pending";
    public static final String OUTBOX_PENDING = "jetstream_bridge.outbox.pending";
    public static final String OUTBOX_OLDEST_AGE = "jetstream_bridge.outbox.oldest_age";
    public static final String OUTBOX_FAILED = "jetstream_bridge.outbox.failed";

    // attributes of OpenTelemetry's conventions
    public static final String MESSAGING_SYSTEM = "messaging.system";
    public static final String DESTINATION = "messaging.destination.name";
    public static final String OPERATION_NAME = "messaging.operation.name";
    public static final String OPERATION_TYPE = "messaging.operation.type";
    public static final String MESSAGE_ID = "messaging.message.id";
    public static final String ERROR_TYPE = "error.type";
    /** The durable consumer (JetStream's named, shared read position, as a consumer group is elsewhere). */
    public static final String CONSUMER_GROUP = "messaging.consumer.group.name";

    // the bridge's own attributes
    public static final String APP = "jetstream_bridge.app";
    public static final String EVENT_TYPE = "jetstream_bridge.event_type";
    public static final String PUBLISHER = "jetstream_bridge.publisher";
    public static final String OUTCOME = "jetstream_bridge.outcome";
    public static final String REASON = "jetstream_bridge.reason";
    public static final String DELIVERIES = "jetstream_bridge.deliveries";
    public static final String DUPLICATE = "jetstream_bridge.duplicate";
    public static final String DEAD_LETTER_REASON = "jetstream_bridge.dead_letter_reason";
    public static final String RETRIED_ALONE = "jetstream_bridge.retried_alone";

    private TelemetryNames() {
    }
}
