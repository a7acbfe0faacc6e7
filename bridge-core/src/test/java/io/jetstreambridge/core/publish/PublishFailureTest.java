package io.jetstreambridge.core.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.JetStreamApiException;
import io.nats.client.api.Error;
import io.nats.client.support.Status;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** One table for both paths: what the direct publisher retries and what the relay counts as an attempt. */
class PublishFailureTest {

    private static final JetStreamApiException BAD_REQUEST = new JetStreamApiException(Error.JsBadRequestErr);
    private static final JetStreamApiException NO_LEADER =
            new JetStreamApiException(Error.convert(new Status(503, "no leader")));

    @Test
    void eachKindIsRetriedByTheDirectPublisherOrCountedByTheRelayAsBefore() {
        // kind, direct retries, relay counts
        check(BAD_REQUEST, PublishFailure.REFUSED, false, true);
        check(NO_LEADER, PublishFailure.LEADERLESS, true, true);
        check(new IllegalArgumentException("header"), PublishFailure.REFUSED, false, true);
        check(new TimeoutException("no ack"), PublishFailure.TIMED_OUT, true, true);
        check(new IOException("no responders"), PublishFailure.UNANSWERED, true, false);
        check(new CancellationException(), PublishFailure.UNANSWERED, true, false);
        check(new IllegalStateException("NATS connection lost"), PublishFailure.UNANSWERED, true, false);
        check(new IllegalStateException("Connection is Closed"), PublishFailure.OTHER, false, false);
        check(new NullPointerException(), PublishFailure.OTHER, false, false);
    }

    private static void check(Throwable error, PublishFailure kind, boolean transientForDirect, boolean counted) {
        assertThat(PublishFailure.of(error)).as(String.valueOf(error)).isEqualTo(kind);
        assertThat(kind.isTransient()).as("retried: " + error).isEqualTo(transientForDirect);
        assertThat(kind.countsAsAttempt()).as("counted: " + error).isEqualTo(counted);
    }

    @Test
    void theCauseIsFoundInsideFutureWrappersAndJnatsBareRuntimeException() {
        IOException io = new IOException("no responders");

        assertThat(PublishFailure.unwrap(new CompletionException(new RuntimeException(io)))).isSameAs(io);
        assertThat(PublishFailure.unwrap(new ExecutionException(io))).isSameAs(io);
        assertThat(PublishFailure.of(new CompletionException(new TimeoutException()))).isEqualTo(
                PublishFailure.TIMED_OUT);
        IllegalStateException specific = new IllegalStateException("kept", io);
        assertThat(PublishFailure.unwrap(new CompletionException(specific))).isSameAs(specific);
        RuntimeException bare = new RuntimeException("no cause");
        assertThat(PublishFailure.unwrap(bare)).isSameAs(bare);
    }
}
