package io.jetstreambridge.core.telemetry;

import io.jetstreambridge.consume.JetstreamEvent;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * What the engines tell about their work, for metrics and traces: a narrow interface with no OpenTelemetry type in
 * it, so the always-loaded classes never refer to the OpenTelemetry API. {@link #NONE} does nothing; the
 * OpenTelemetry adapter in {@code io.jetstreambridge.core.telemetry.otel} is used only when the server provides
 * the API. Names, units and attributes of what the adapter records are listed in {@code docs/observability.md}.
 */
public interface BridgeTelemetry {

    /** Records nothing and propagates nothing (no OpenTelemetry API, or no SDK). */
    BridgeTelemetry NONE = new BridgeTelemetry() {
    };

    /**
     * Starts the publishing of one event. The observation's {@link PublishObservation#propagationHeaders()} go out
     * with the message (or into the outbox row).
     *
     * @param parent the headers that carry the parent trace context (an outbox row's), or null for the current
     *               context of the calling thread
     */
    default PublishObservation startPublish(PublishKind kind, String subject, String eventType, String eventId,
                                            Map<String, String> parent) {
        return PublishObservation.NONE;
    }

    /**
     * Starts the processing of one received message; it continues the trace its headers carry and is the current
     * context of the calling thread until closed, so the observers' own spans are its children.
     */
    default ProcessObservation startProcess(String subject, Map<String, List<String>> headers, long deliveries) {
        return ProcessObservation.NONE;
    }

    /** The inbox found the event already processed: the observers were not called. */
    default void duplicateSkipped(JetstreamEvent event) {
    }

    /** No observer matches the event's types (it is then acked or dead-lettered, as configured). */
    default void unobserved(JetstreamEvent event) {
    }

    /**
     * The server gave up on a message (its {@code max_deliver} used up without an ack) and the bridge moved it off
     * the stream: {@code outcome} {@code dead_letter} (copied to the DLQ) or {@code removed} (the DLQ is off).
     */
    default void maxDeliveriesReached(String subject, String outcome) {
    }

    /**
     * Reports the outbox backlog each time metrics are collected; {@code reading} is empty when the database does
     * not answer in time.
     */
    default Registration observeOutboxBacklog(Supplier<Optional<BacklogReading>> reading) {
        return Registration.NONE;
    }

    /**
     * Reports a durable consumer's pending messages (its lag) each time metrics are collected; an application with
     * several peers registers one per durable, told apart by {@code durable}.
     */
    default Registration observeConsumerPending(String durable, Supplier<OptionalLong> pending) {
        return Registration.NONE;
    }

    /** A gauge callback that stops when closed (at shut-down). */
    interface Registration extends AutoCloseable {

        Registration NONE = () -> {
        };

        @Override
        void close();
    }
}
