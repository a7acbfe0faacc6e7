package io.jetstreambridge.outbox.cdi;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.core.outbox.OutboxStore;
import io.jetstreambridge.cdi.BridgeTelemetryProducer;
import io.jetstreambridge.core.telemetry.BacklogReading;
import io.jetstreambridge.core.telemetry.BridgeTelemetry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The outbox backlog gauges: each metrics collection runs the backlog query (the one health uses), bounded by
 * {@code health.check-timeout}; a database that does not answer in time leaves the gauges without a value for that
 * collection rather than blocking the exporter.
 */
@ApplicationScoped
class OutboxGauges {

    private static final Logger LOG = Logger.getLogger("io.jetstreambridge");

    @Inject
    BridgeConfig config;

    @Inject
    OutboxMaintenanceService maintenance;

    @Inject
    Instance<BridgeTelemetry> telemetry;

    private final Clock clock = Clock.systemUTC();
    private BridgeTelemetry.Registration registration = BridgeTelemetry.Registration.NONE;

    synchronized void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        if (config.outbox().enabled()) {
            registration = BridgeTelemetryProducer.of(telemetry).observeOutboxBacklog(this::reading);
        }
    }

    Optional<BacklogReading> reading() {
        try {
            OutboxStore.Backlog backlog = maintenance.backlog(config.health().checkTimeout());
            Duration age = backlog.oldestCreatedAt() == null ? Duration.ZERO
                    : Duration.between(backlog.oldestCreatedAt(), clock.instant());
            return Optional.of(new BacklogReading(backlog.pending(), age.isNegative() ? Duration.ZERO : age,
                    backlog.failed()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            LOG.log(Level.FINE, "outbox backlog for the gauges failed", e);
        }
        return Optional.empty();
    }

    @PreDestroy
    synchronized void stop() {
        registration.close();
        registration = BridgeTelemetry.Registration.NONE;
    }
}
