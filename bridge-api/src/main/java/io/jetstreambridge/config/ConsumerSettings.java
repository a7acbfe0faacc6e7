package io.jetstreambridge.config;

import java.time.Duration;
import java.util.List;

/**
 * The durable consumer {@code {app}-workers}: what is sent to the server and how it is run.
 *
 * @param processingTimeout       longest time observers may take for one message
 * @param drainTimeout            time allowed at shut-down to finish messages in hand
 * @param unrecoverableExceptions exception class names that dead-letter a message at once
 */
public record ConsumerSettings(boolean enabled, Mode mode, int batchSize, Duration fetchTimeout, int maxDeliver,
                               Duration ackWait, List<Duration> backoff, int concurrency, Duration processingTimeout,
                               Duration drainTimeout, List<String> unrecoverableExceptions) {

    public enum Mode { PULL, PUSH }

    /** The keep-alive sends in-progress acks every half ack wait, but never more often than this. */
    public static final Duration SHORTEST_KEEP_ALIVE_INTERVAL = Duration.ofMillis(100);

    /**
     * The shortest ack wait (backoff step) the keep-alive can beat: in-progress acks at half of it, with the other
     * half left for the ack to reach the server.
     */
    public static final Duration SHORTEST_ACK_WAIT = SHORTEST_KEEP_ALIVE_INTERVAL.multipliedBy(2);

    public ConsumerSettings {
        backoff = List.copyOf(backoff);
        unrecoverableExceptions = List.copyOf(unrecoverableExceptions);
    }
}
