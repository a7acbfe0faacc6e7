package io.jetstreambridge.core.telemetry;

import java.time.Duration;

/** The outbox backlog at one moment: rows waiting, the age of the oldest (zero when none), rows failed. */
public record BacklogReading(long pending, Duration oldestAge, long failed) {
}
