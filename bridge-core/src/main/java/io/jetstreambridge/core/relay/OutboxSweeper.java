package io.jetstreambridge.core.relay;

import io.jetstreambridge.core.outbox.OutboxLog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a relay's sweep on a schedule (a managed scheduled executor in a container): rows the after-commit fast
 * path missed (crash, NATS down) and rows whose retry is due are published every poll interval. A failing round
 * is remembered for health checks and the next round runs anyway. Progress is recorded per relay round, not per
 * sweep: a sweep drains the whole backlog, which may take longer than the stall timeout while every round goes
 * well.
 */
public final class OutboxSweeper implements AutoCloseable {

    private final OutboxRelay relay;
    private final ScheduledExecutorService scheduler;
    private final Duration pollInterval;
    private final Clock clock;
    private ScheduledFuture<?> schedule;
    private volatile Instant lastRound;
    private volatile Throwable lastError;
    private int failedRounds; // rounds never overlap (fixed delay), one at a time

    public OutboxSweeper(OutboxRelay relay, ScheduledExecutorService scheduler, Duration pollInterval, Clock clock) {
        this.relay = Objects.requireNonNull(relay, "relay");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public synchronized OutboxSweeper start() {
        if (schedule == null) {
            long millis = Math.max(1, pollInterval.toMillis());
            schedule = scheduler.scheduleWithFixedDelay(this::round, millis, millis, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    void round() {
        try {
            relay.sweep(this::roundEnded);
            if (failedRounds > 0) {
                OutboxLog.sweepRecovered(failedRounds);
            }
            failedRounds = 0;
            lastError = null;
        } catch (RuntimeException e) {
            // NATS or the database is away: the rows stay pending and the next round tries again; an outage logs
            // its first failure (and each change of error) as a warning, not one warning per poll interval
            Throwable previous = lastError;
            OutboxLog.sweepFailed(e, previous != null && String.valueOf(previous).equals(String.valueOf(e)));
            failedRounds++;
            lastError = e;
        } finally {
            roundEnded(); // an empty or failed sweep counts too: the sweeper is alive and tries again
        }
    }

    private void roundEnded() {
        lastRound = clock.instant();
    }

    /** When the last round ended (one relay round of a sweep, or a whole sweep); empty before the first. */
    public Optional<Instant> lastRound() {
        return Optional.ofNullable(lastRound);
    }

    /** Why the last round failed, if it did. */
    public Optional<Throwable> lastError() {
        return Optional.ofNullable(lastError);
    }

    @Override
    public synchronized void close() {
        if (schedule != null) {
            schedule.cancel(false);
            schedule = null;
        }
    }
}
