package io.jetstreambridge.config;

import java.time.Duration;
import java.util.List;

/** The durable consumer {@code {app}-workers}: what is sent to the server and how it is run. */
public record ConsumerSettings(boolean enabled, Mode mode, int batchSize, Duration fetchTimeout, int maxDeliver,
                               Duration ackWait, List<Duration> backoff, int concurrency) {

    public enum Mode { PULL, PUSH }

    public ConsumerSettings {
        backoff = List.copyOf(backoff);
    }
}
