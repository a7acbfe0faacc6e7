package io.jetstreambridge.core.deadletter;

import io.jetstreambridge.JetstreamBridgeException;

/** A dead-letter operation failed: the server refused or did not answer. Names the stream and the sequence. */
public class DeadLetterException extends JetstreamBridgeException {

    private final String stream;
    private final long sequence;

    public DeadLetterException(String message, String stream, long sequence, Throwable cause) {
        super(message, cause);
        this.stream = stream;
        this.sequence = sequence;
    }

    public String stream() {
        return stream;
    }

    /** The DLQ entry concerned, 0 for operations on the whole DLQ. */
    public long sequence() {
        return sequence;
    }
}
