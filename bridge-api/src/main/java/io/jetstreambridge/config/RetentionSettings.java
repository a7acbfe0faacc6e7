package io.jetstreambridge.config;

import java.time.Duration;

/** Clean-up of sent outbox rows and processed inbox rows, in bounded batches. */
public record RetentionSettings(Duration outbox, Duration inbox, int batchSize, Duration interval) {
}
