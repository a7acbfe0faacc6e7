package io.jetstreambridge.sample;

import jakarta.ejb.ApplicationException;

/**
 * An application exception that leaves the container's transaction to commit ({@link EjbProbes}): the caller sees
 * the exception, and what was published still leaves.
 */
@ApplicationException(rollback = false)
public class ProbeDeclined extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ProbeDeclined(String message) {
        super(message);
    }
}
