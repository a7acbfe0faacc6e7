package io.jetstreambridge.config;

import java.time.Duration;
import java.util.List;

/**
 * The durable consumer {@code {app}-workers}: what is sent to the server and how it is run.
 *
 * @param processingTimeout       longest time observers may take for one message
 * @param drainTimeout            time allowed at shut-down to finish messages in hand
 * @param unrecoverableExceptions exception class names that dead-letter a message at once
 * @param unobservedEvents        what happens to an event no observer matches
 * @param maxDeliveriesWatch      whether the server's MAX_DELIVERIES advisory is watched (a safety net)
 * @param maxAckPending           the durable's {@code max_ack_pending}; 0 leaves the server's default
 * @param drift                   what provisioning does with an existing durable that differs
 */
public record ConsumerSettings(boolean enabled, Mode mode, int batchSize, Duration fetchTimeout, int maxDeliver,
                               Duration ackWait, List<Duration> backoff, int concurrency, Duration processingTimeout,
                               Duration drainTimeout, List<String> unrecoverableExceptions,
                               UnobservedEvents unobservedEvents, boolean maxDeliveriesWatch,
                               int maxAckPending, Drift drift) {

    public enum Mode { PULL, PUSH }

    /** The keep-alive sends in-progress acks every half ack wait, but never more often than this. */
    public static final Duration SHORTEST_KEEP_ALIVE_INTERVAL = Duration.ofMillis(100);

    /**
     * The shortest ack wait (backoff step) the keep-alive can beat: in-progress acks at half of it, with the other
     * half left for the ack to reach the server.
     */
    public static final Duration SHORTEST_ACK_WAIT = SHORTEST_KEEP_ALIVE_INTERVAL.multipliedBy(2);

    /** What happens to an event that no observer matches. */
    public enum UnobservedEvents { ACK, DEAD_LETTER }

    /** What provisioning does with the changeable settings of an existing durable that differ. */
    public enum Drift { UPDATE, REPORT }

    /** Push mode's {@code max_ack_pending} when none is configured, per worker of one instance. */
    public static final int PUSH_ACK_PENDING_PER_WORKER = 4;

    public ConsumerSettings {
        backoff = List.copyOf(backoff);
        unrecoverableExceptions = List.copyOf(unrecoverableExceptions);
        java.util.Objects.requireNonNull(unobservedEvents, "unobservedEvents");
    }

}
