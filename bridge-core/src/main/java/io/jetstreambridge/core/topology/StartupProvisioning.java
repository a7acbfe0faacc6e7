package io.jetstreambridge.core.topology;

import io.jetstreambridge.core.log.BridgeLog;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Provisioning at start-up, tried again while JetStream is unavailable ({@link JetStreamUnavailableException}),
 * within a bounded time. This rides out a cluster that has only just started and is still electing its leaders.
 * A refusal (overlapping subjects, a bad consumer) fails at once. When time runs out, the last failure is thrown
 * and the application does not start.
 */
public final class StartupProvisioning {

    /** How long start-up waits for JetStream: long enough for a fresh cluster's elections. */
    public static final Duration DEFAULT_PATIENCE = Duration.ofSeconds(20);
    static final Duration FIRST_PAUSE = Duration.ofMillis(250);
    static final Duration LONGEST_PAUSE = Duration.ofSeconds(2);

    private final Supplier<ProvisioningReport> provisioning;
    private final Duration patience;

    public StartupProvisioning(Supplier<ProvisioningReport> provisioning, Duration patience) {
        this.provisioning = Objects.requireNonNull(provisioning, "provisioning");
        this.patience = Objects.requireNonNull(patience, "patience");
    }

    public ProvisioningReport run() {
        long deadline = System.nanoTime() + patience.toNanos();
        Duration pause = FIRST_PAUSE;
        for (int attempt = 1; ; attempt++) {
            try {
                return provisioning.get();
            } catch (JetStreamUnavailableException e) {
                if (System.nanoTime() + pause.toNanos() - deadline > 0) {
                    throw e;
                }
                BridgeLog.provisioningRetry(attempt, pause, patience, e);
                if (!sleep(pause)) {
                    throw e;
                }
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
            }
        }
    }

    private static boolean sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
