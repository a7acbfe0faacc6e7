package io.jetstreambridge.envelope;

import io.jetstreambridge.JetstreamBridgeException;

/**
 * A message body that is not a wire-contract envelope: not JSON, not an object, or without {@code event_type} or
 * {@code payload}. Such a message is dead-lettered with reason {@code malformed_json}, never retried.
 */
public class MalformedEnvelopeException extends JetstreamBridgeException {

    private static final long serialVersionUID = 1L;

    public MalformedEnvelopeException(String message) {
        super(message);
    }

    public MalformedEnvelopeException(String message, Throwable cause) {
        super(message, cause);
    }
}
