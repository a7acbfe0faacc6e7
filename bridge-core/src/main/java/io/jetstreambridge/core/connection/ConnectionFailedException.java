package io.jetstreambridge.core.connection;

import io.jetstreambridge.JetstreamBridgeException;

/** NATS could not be reached or refused the credentials. The message names the servers, never the secrets. */
public class ConnectionFailedException extends JetstreamBridgeException {

    private static final long serialVersionUID = 1L;

    public ConnectionFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
