package io.jetstreambridge.outbox.cdi;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.Durations;
import io.jetstreambridge.core.outbox.OutboxStore;
import io.jetstreambridge.core.relay.OutboxSweeper;
import io.jetstreambridge.cdi.ManagedExecutors;
import io.jetstreambridge.core.health.HealthContribution;
import io.jetstreambridge.core.health.HealthContributor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The outbox's part of the bridge's liveness check (data keys prefixed {@code outbox-}): DOWN when rows are pending
 * and the sweeper has not completed a round for {@code health.relay-stall-timeout}. A round that failed (NATS or
 * the database away) still counts as completed: the sweeper is alive and tries again, and restarting the
 * application would not help. Pending and failed counts and the age of the oldest pending row come from one
 * backlog query, run on the bridge's managed executor (so it has the application's naming context even when the
 * probe runs on a management thread) and bounded by {@code health.check-timeout}.
 */
@ApplicationScoped
class OutboxHealth implements HealthContributor {

    static final String NAME = "outbox";

    @Inject
    BridgeConfig config;

    @Inject
    OutboxRuntime runtime;

    @Inject
    OutboxMaintenanceService maintenance;

    @Inject
    ManagedExecutors executors;

    private final Clock clock = Clock.systemUTC();
    private OutboxSweeper watched;
    private Instant firstSeen;

    /** Resolves the managed executor on the deployment thread, where the container's look-up works. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        if (config.outbox().enabled()) {
            executors.executor();
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public synchronized Optional<HealthContribution> liveness() {
        if (!config.outbox().enabled()) {
            return Optional.empty();
        }
        Duration stallTimeout = config.health().relayStallTimeout();
        HealthContribution.Builder health = HealthContribution.builder().millis("stall-timeout-ms", stallTimeout);
        Instant now = clock.instant();
        Optional<OutboxStore.Backlog> backlog = backlog(health);
        backlog.ifPresent(b -> {
            health.data("pending", b.pending()).data("failed", b.failed());
            if (b.oldestCreatedAt() != null) {
                health.millis("oldest-age-ms", Duration.between(b.oldestCreatedAt(), now));
            }
        });
        Optional<OutboxSweeper> sweeper = runtime.sweeper();
        if (sweeper.isEmpty()) {
            // starts once NATS is connected; readiness says why it is not
            return Optional.of(health.data("sweeper", "NOT_STARTED").build());
        }
        if (watched != sweeper.get()) {
            watched = sweeper.get();
            firstSeen = now;
        }
        Optional<Instant> lastRound = watched.lastRound();
        health.data("sweeper", "STARTED").instant("last-round", lastRound.orElse(null));
        watched.lastError().ifPresent(e -> health.data("last-round-error", HealthContribution.describe(e)));
        Instant since = lastRound.orElse(firstSeen);
        Duration age = Duration.between(since, now);
        health.millis("round-age-ms", age);
        long pending = backlog.map(OutboxStore.Backlog::pending).orElse(0L);
        if (pending > 0 && age.compareTo(stallTimeout) > 0) {
            health.down("outbox sweeper has not completed a round for "
                    + Durations.format(age.truncatedTo(ChronoUnit.MILLIS)) + " (stall timeout "
                    + Durations.format(stallTimeout) + ") while " + pending + " rows are pending");
        }
        return Optional.of(health.build());
    }

    /** The backlog, or empty with the reason in the data when the database does not answer in time. */
    private Optional<OutboxStore.Backlog> backlog(HealthContribution.Builder health) {
        Duration timeout = config.health().checkTimeout();
        try {
            return Optional.of(maintenance.backlog(timeout));
        } catch (TimeoutException e) {
            health.data("backlog-error", "no answer from the database within " + Durations.format(timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            health.data("backlog-error", "interrupted");
        } catch (ExecutionException e) {
            health.data("backlog-error", HealthContribution.describe(e.getCause()));
        }
        return Optional.empty();
    }
}
