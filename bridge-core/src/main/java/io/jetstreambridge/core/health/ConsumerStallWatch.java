package io.jetstreambridge.core.health;

import io.jetstreambridge.config.Durations;
import io.jetstreambridge.core.consume.ConsumerEngine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The consumer's part of liveness: DOWN only when the loop is expected to show activity and has not for the stall
 * timeout. It is expected to while the engine is {@code STARTING} or {@code RUNNING} and NATS is connected; a
 * recovering engine retries by itself (readiness reports it), so does one waiting for its database, a stopped one is not meant to run, and while NATS is
 * away there is nothing to fetch. Activity is {@link ConsumerEngine#lastActivity()} (a fetch returned, a message
 * started or ended, a wait for pushed messages ended), so an idle consumer that keeps fetching stays alive, and so
 * does one working through a long batch of slow but healthy messages. The idle time counts from the later
 * of that activity (before the first, the moment this watch first saw the engine) and the last (re)connect. With
 * several workers, activity is that of the busiest one: only a loop where every worker is stuck is reported.
 */
public final class ConsumerStallWatch {

    private final Clock clock;
    private final Duration stallTimeout;
    private ConsumerEngine watched;
    private Instant firstSeen;

    public ConsumerStallWatch(Clock clock, Duration stallTimeout) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.stallTimeout = Objects.requireNonNull(stallTimeout, "stallTimeout");
    }

    public synchronized HealthContribution check(Optional<ConsumerEngine> engine, boolean connected,
                                          Optional<Instant> connectedSince) {
        HealthContribution.Builder health = HealthContribution.builder();
        health.millis("stall-timeout-ms", stallTimeout);
        if (engine.isEmpty()) {
            return health.data("state", "NOT_STARTED").build();
        }
        Instant now = clock.instant();
        if (watched != engine.get()) {
            watched = engine.get();
            firstSeen = now;
        }
        ConsumerEngine.State state = watched.state();
        Optional<Instant> activity = watched.lastActivity();
        health.data("state", state.name()).instant("last-activity", activity.orElse(null));
        activity.ifPresent(a -> health.millis("activity-age-ms", Duration.between(a, now)));
        boolean expected = connected && (state == ConsumerEngine.State.RUNNING
                || state == ConsumerEngine.State.STARTING);
        if (!expected) {
            return health.build();
        }
        Instant since = Stream.of(Optional.of(activity.orElse(firstSeen)), connectedSince)
                .flatMap(Optional::stream).max(Instant::compareTo).orElse(firstSeen);
        Duration idle = Duration.between(since, now);
        health.millis("idle-ms", idle);
        if (idle.compareTo(stallTimeout) > 0) {
            health.down("consumer loop has shown no activity for " + Durations.format(idle.truncatedTo(ChronoUnit.MILLIS)) + " (stall timeout "
                    + Durations.format(stallTimeout) + ") while NATS is connected: an observer may be blocked "
                    + "or the loop is stuck");
        }
        return health.build();
    }
}
