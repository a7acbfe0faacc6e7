package io.jetstreambridge.config;

import java.time.Duration;
import java.util.List;

/**
 * The durable consumer {@code {app}-workers}: what is sent to the server and how it is run.
 *
 * @param processingTimeout       longest time observers may take for one message
 * @param drainTimeout            time allowed at shut-down to finish messages in hand
 * @param unrecoverableExceptions exception class names that dead-letter a message at once
 * @param maxAckPending           the durable's {@code max_ack_pending}; 0 leaves the server's default
 * @param drift                   what provisioning does with an existing durable that differs
 */
public record ConsumerSettings(boolean enabled, Mode mode, int batchSize, Duration fetchTimeout, int maxDeliver,
                               Duration ackWait, List<Duration> backoff, int concurrency, Duration processingTimeout,
                               Duration drainTimeout, List<String> unrecoverableExceptions, int maxAckPending,
                               Drift drift) {

    public enum Mode { PULL, PUSH }

    /** What provisioning does with the changeable settings of an existing durable that differ. */
    public enum Drift { UPDATE, REPORT }

    /** Push mode's {@code max_ack_pending} when none is configured, per worker of one instance. */
    public static final int PUSH_ACK_PENDING_PER_WORKER = 4;

    public ConsumerSettings {
        backoff = List.copyOf(backoff);
        unrecoverableExceptions = List.copyOf(unrecoverableExceptions);
    }
}
