package io.jetstreambridge.sample;

import jakarta.ejb.ApplicationException;

/** An application exception that rolls the container's transaction back ({@link EjbProbes}). */
@ApplicationException(rollback = true)
public class ProbeRejected extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ProbeRejected(String message) {
        super(message);
    }
}
