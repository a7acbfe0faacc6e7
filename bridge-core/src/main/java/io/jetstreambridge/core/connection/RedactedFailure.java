package io.jetstreambridge.core.connection;

import io.jetstreambridge.config.UserInfoRedaction;

/**
 * A stand-in for a jnats exception whose message may carry a server URL with its user info: the same type name,
 * message (redacted), stack trace and causes (each redacted), so a logged or printed cause chain shows what
 * happened and where, never the credential.
 */
final class RedactedFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final String type;

    private RedactedFailure(Throwable original) {
        super(UserInfoRedaction.redact(original.getMessage()),
                original.getCause() == null || original.getCause() == original ? null : of(original.getCause()),
                true, true);
        this.type = original.getClass().getName();
        setStackTrace(original.getStackTrace());
        for (Throwable suppressed : original.getSuppressed()) {
            addSuppressed(of(suppressed));
        }
    }

    static RedactedFailure of(Throwable original) {
        return original instanceof RedactedFailure already ? already : new RedactedFailure(original);
    }

    /** Printed as the original would be: its type, then the redacted message. */
    @Override
    public String toString() {
        String message = getMessage();
        return message == null ? type : type + ": " + message;
    }
}
