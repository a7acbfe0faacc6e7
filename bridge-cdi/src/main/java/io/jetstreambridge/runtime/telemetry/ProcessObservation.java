package io.jetstreambridge.runtime.telemetry;

/**
 * One received message being processed. Exactly one outcome is reported ({@link #acked()}, {@link #nakked},
 * {@link #deadLettered}); {@link #close()} ends it on the thread that started it.
 */
public interface ProcessObservation extends AutoCloseable {

    ProcessObservation NONE = new ProcessObservation() {
    };

    /** The body was decoded: the event is known. */
    default void received(String eventId, String eventType) {
    }

    /** The observers failed (the outcome follows: nak or dead letter). */
    default void failed(Throwable error) {
    }

    /** Processed (or skipped as a duplicate) and acked. */
    default void acked() {
    }

    /** Nak'ed, to be delivered again; {@code reason} is the attribute value. */
    default void nakked(String reason) {
    }

    /** Copied to the dead-letter subject and acked; {@code reason} is the contract's wire name. */
    default void deadLettered(String reason) {
    }

    @Override
    default void close() {
    }
}
