package io.jetstreambridge.core.topology;

import io.jetstreambridge.JetstreamBridgeException;

/** The stream or consumer cannot be set up as configured; the message names the stream, subject or consumer. */
public class TopologyException extends JetstreamBridgeException {

    private static final long serialVersionUID = 1L;

    public TopologyException(String message) {
        super(message);
    }

    public TopologyException(String message, Throwable cause) {
        super(message, cause);
    }
}
