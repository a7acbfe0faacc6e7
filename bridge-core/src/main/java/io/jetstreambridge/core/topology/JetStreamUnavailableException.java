package io.jetstreambridge.core.topology;

/**
 * Provisioning got no answer from JetStream (a timeout, no responders) or was told it is temporarily unavailable:
 * a cluster that has only just started, or a leader election, rather than a refusal of the configuration.
 */
public class JetStreamUnavailableException extends TopologyException {

    private static final long serialVersionUID = 1L;

    public JetStreamUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
