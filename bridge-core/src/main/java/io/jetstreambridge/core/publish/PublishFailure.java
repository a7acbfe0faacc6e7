package io.jetstreambridge.core.publish;

import io.jetstreambridge.core.connection.JetStreamErrors;
import io.nats.client.JetStreamApiException;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * What a failed publish attempt means, for both paths of {@link PublishPipeline}: the direct publisher retries the
 * {@linkplain #isTransient() transient} ones with the same message id; the outbox relay counts an attempt only
 * when it {@linkplain #countsAsAttempt() may have reached the stream or was refused}.
 */
public enum PublishFailure {

    /**
     * A definite "not stored": JetStream refused it (an API error such as a stream that is not the expected one,
     * or a full stream), or jnats refused to build or send it ({@link IllegalArgumentException}).
     */
    REFUSED,
    /** JetStream answered 503: the clustered stream has no leader (an election), so nothing was stored. */
    LEADERLESS,
    /** No ack within the ack timeout: the message may have been stored. */
    TIMED_OUT,
    /**
     * Nobody answered: no responders (JetStream not there, e.g. still starting), a dropped connection, a cancelled
     * request, a connection not ready. Nothing was stored.
     */
    UNANSWERED,
    /** Anything else, such as a closed connection: neither retried nor counted. */
    OTHER;

    /** The kind of {@code error}, looked at {@linkplain #unwrap unwrapped}. */
    public static PublishFailure of(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof JetStreamApiException api) {
            return JetStreamErrors.isLeaderless(api) ? LEADERLESS : REFUSED;
        }
        if (cause instanceof IllegalArgumentException) {
            return REFUSED;
        }
        if (cause instanceof TimeoutException) {
            return TIMED_OUT;
        }
        if (cause instanceof IOException || cause instanceof CancellationException
                || (cause instanceof IllegalStateException && !String.valueOf(cause.getMessage()).contains("Closed"))) {
            return UNANSWERED;
        }
        return OTHER;
    }

    /**
     * The failure inside the wrappers of a future ({@link CompletionException}, {@link ExecutionException}) and
     * jnats' bare {@link RuntimeException} around the {@link IOException} of an async publish.
     */
    public static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException
                || cause.getClass() == RuntimeException.class) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Worth another attempt with the same message id at once: a time-out, no leader, nobody answering. */
    public boolean isTransient() {
        return this == LEADERLESS || this == TIMED_OUT || this == UNANSWERED;
    }

    /**
     * Whether the attempt counts toward a maximum of attempts: a refusal (no leader included), and also a time-out,
     * since a timed-out publish may have been stored and each retry reuses the message id. Not counted: nobody
     * answered (nothing was stored), and the rest.
     */
    public boolean countsAsAttempt() {
        return this == REFUSED || this == LEADERLESS || this == TIMED_OUT;
    }
}
