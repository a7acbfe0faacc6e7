package io.jetstreambridge.core.publish;

import io.nats.client.JetStreamApiException;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Which publish failures are worth another attempt with the same message id. Timeouts and "no responders" (a
 * restarting server, a stream leader election) are; a refusal by the server (wrong stream, limits) is not.
 */
final class TransientFailures {

    /** JetStream answers 503 while a clustered stream has no leader. */
    private static final int UNAVAILABLE = 503;

    private TransientFailures() {
    }

    static boolean isTransient(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof JetStreamApiException api) {
            return api.getErrorCode() == UNAVAILABLE;
        }
        return cause instanceof IOException || cause instanceof TimeoutException
                || cause instanceof CancellationException
                || (cause instanceof IllegalStateException && !String.valueOf(cause.getMessage()).contains("Closed"));
    }

    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        // jnats wraps the IOException of an async publish in a bare RuntimeException
        while ((cause instanceof CompletionException || cause instanceof ExecutionException
                || cause.getClass() == RuntimeException.class) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
