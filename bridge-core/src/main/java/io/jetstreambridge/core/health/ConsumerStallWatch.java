package io.jetstreambridge.core.health;

import io.jetstreambridge.config.Durations;
import io.jetstreambridge.core.consume.ConsumerEngine;
import io.jetstreambridge.topology.Peers;
import io.jetstreambridge.topology.Topology;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
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
 * several workers, activity is that of the busiest one: only a loop where every worker is stuck is reported. With
 * several peers each durable's engine is watched on its own (one peer's quiet loop is not hidden by another's
 * activity), and DOWN names the durable that stalls.
 */
public final class ConsumerStallWatch {

    private final Clock clock;
    private final Duration stallTimeout;
    private final Peers peers;
    /** The engine last seen per durable, and when: before its first activity, idle time counts from then. */
    private final Map<String, Seen> seen = new HashMap<>();

    private record Seen(ConsumerEngine engine, Instant at) {
    }

    /** @param peers whose durables to watch: one engine each */
    public ConsumerStallWatch(Clock clock, Duration stallTimeout, Peers peers) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.stallTimeout = Objects.requireNonNull(stallTimeout, "stallTimeout");
        this.peers = Objects.requireNonNull(peers, "peers");
    }

    /**
     * Every peer's engine in turn: DOWN names each durable whose loop stalls. The data keys are those of readiness
     * ({@code consumer-state}, {@code consumer-idle-ms}, …; {@code consumer-{peer}-…} for each further peer), with
     * {@code consumer-stall-timeout-ms} once.
     *
     * @param engines the running engines by durable name; a durable without one is not started
     */
    public synchronized HealthContribution check(Map<String, ConsumerEngine> engines, boolean connected,
                                                 Optional<Instant> connectedSince) {
        HealthContribution.Builder health = HealthContribution.builder();
        health.millis(ConsumerHealthKeys.PRIMARY + "-stall-timeout-ms", stallTimeout);
        Instant now = clock.instant();
        for (Topology peer : peers.topologies()) {
            check(health, ConsumerHealthKeys.prefix(peers, peer), peer.durableName(),
                    engines.get(peer.durableName()), connected, connectedSince, now);
        }
        return health.build();
    }

    private void check(HealthContribution.Builder health, String prefix, String durable, ConsumerEngine engine,
                       boolean connected, Optional<Instant> connectedSince, Instant now) {
        if (engine == null) {
            seen.remove(durable);
            health.data(prefix + "-state", "NOT_STARTED");
            return;
        }
        Seen watched = seen.get(durable);
        if (watched == null || watched.engine() != engine) {
            watched = new Seen(engine, now);
            seen.put(durable, watched);
        }
        ConsumerEngine.State state = engine.state();
        Optional<Instant> activity = engine.lastActivity();
        health.data(prefix + "-state", state.name()).instant(prefix + "-last-activity", activity.orElse(null));
        activity.ifPresent(a -> health.millis(prefix + "-activity-age-ms", Duration.between(a, now)));
        boolean expected = connected && (state == ConsumerEngine.State.RUNNING
                || state == ConsumerEngine.State.STARTING);
        if (!expected) {
            return;
        }
        Instant firstSeen = watched.at();
        Instant since = Stream.of(Optional.of(activity.orElse(firstSeen)), connectedSince)
                .flatMap(Optional::stream).max(Instant::compareTo).orElse(firstSeen);
        Duration idle = Duration.between(since, now);
        health.millis(prefix + "-idle-ms", idle);
        if (idle.compareTo(stallTimeout) > 0) {
            health.down("consumer loop has shown no activity for "
                    + Durations.format(idle.truncatedTo(ChronoUnit.MILLIS)) + " (stall timeout "
                    + Durations.format(stallTimeout) + ") on durable '" + durable + "' while NATS is connected: an "
                    + "observer may be blocked or the loop is stuck");
        }
    }
}
