package io.jetstreambridge.core.telemetry;

import java.util.Map;

/** One event being published; ends once, with {@link #succeeded()} or {@link #failed(Throwable)}. */
public interface PublishObservation {

    PublishObservation NONE = new PublishObservation() {
    };

    /** The trace context to send with the event ({@code traceparent}, {@code tracestate}); empty when not tracing. */
    default Map<String, String> propagationHeaders() {
        return Map.of();
    }

    /** JetStream acked the event (or, for the outbox, the row was written). */
    default void succeeded() {
    }

    default void failed(Throwable error) {
    }

    /** Ends the observation from a completion stage's outcome. */
    default void completed(Object result, Throwable error) {
        if (error == null) {
            succeeded();
        } else {
            failed(error);
        }
    }
}
