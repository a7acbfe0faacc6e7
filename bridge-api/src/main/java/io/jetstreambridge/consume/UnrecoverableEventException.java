package io.jetstreambridge.consume;

import io.jetstreambridge.JetstreamBridgeException;

/**
 * Thrown by an observer for an event that can never succeed (invalid data, a reference that will never exist):
 * the message goes straight to the dead-letter subject with reason {@code unrecoverable} instead of being retried.
 */
public class UnrecoverableEventException extends JetstreamBridgeException {

    private static final long serialVersionUID = 1L;

    public UnrecoverableEventException(String message) {
        super(message);
    }

    public UnrecoverableEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
