package io.jetstreambridge;

/**
 * Root of the bridge's unchecked exceptions. Subtypes exist per concern (configuration, topology, publishing,
 * envelope) and carry the event id, subject and stream where they are known, so a log line or a caller can tell
 * which message and which stream a failure is about.
 */
public class JetstreamBridgeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public JetstreamBridgeException(String message) {
        super(message);
    }

    public JetstreamBridgeException(String message, Throwable cause) {
        super(message, cause);
    }
}
