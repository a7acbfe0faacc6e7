package io.jetstreambridge.publish;

import io.jetstreambridge.JetstreamBridgeException;

/**
 * An event could not be stored: transient failures persisted through every attempt, or the server refused it for
 * good (for example a subject no stream listens on, or a payload above the server's limit).
 */
public class PublishException extends JetstreamBridgeException {

    private static final long serialVersionUID = 1L;

    private final String eventId;
    private final String subject;
    private final String stream;
    private final int attempts;

    public PublishException(String message, String eventId, String subject, String stream, int attempts,
                            Throwable cause) {
        super(message + " [event_id=" + eventId + ", subject=" + subject + ", stream=" + stream + ", attempts="
                + attempts + "]", cause);
        this.eventId = eventId;
        this.subject = subject;
        this.stream = stream;
        this.attempts = attempts;
    }

    public String eventId() {
        return eventId;
    }

    public String subject() {
        return subject;
    }

    public String stream() {
        return stream;
    }

    /** Attempts made before giving up; 1 for failures that are not retried. */
    public int attempts() {
        return attempts;
    }
}
