package io.jetstreambridge.core.consume;

/**
 * No observer matches the event's type and resource type, and {@code consumer.unobserved-events=dead-letter}: the
 * {@link FailureClassifier} dead-letters it at once with reason {@code no_observer}.
 */
public final class NoObserverException extends RuntimeException {

    public NoObserverException(String eventType, String resourceType) {
        super("no observer matches event type '" + eventType + "' with resource type '" + resourceType + "'");
    }
}
