package io.jetstreambridge.core.telemetry;

/**
 * One received message being processed. Exactly one outcome is reported ({@link #acked()}, {@link #nakked},
 * {@link #deadLettered}, {@link #terminated}, {@link #retriedAlone()}); {@link #close()} ends it. It is the current context only inside
 * {@link #enter()}, because a fetched batch runs in one transaction: all its observations are open until the commit,
 * while each message's observers must see their own as the current one.
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

    /** Given up on with the dead-letter queue off: terminated ({@code term()}); {@code reason} as for a DLQ copy. */
    default void terminated(String reason) {
    }

    /** The batch it was part of failed as a whole; the message is processed again alone, under a new observation. */
    default void retriedAlone() {
    }

    /** Makes this observation the current context on this thread until the returned scope closes. */
    default Current enter() {
        return () -> { };
    }

    @Override
    default void close() {
    }

    /** A scope in which an observation is current; closed on the thread that entered it. */
    interface Current extends AutoCloseable {
        @Override
        void close();
    }
}
