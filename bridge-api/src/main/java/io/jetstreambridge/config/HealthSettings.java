package io.jetstreambridge.config;

import java.time.Duration;

/**
 * Thresholds of the MicroProfile Health checks.
 *
 * @param consumerStallTimeout how long the running consumer loop may show no activity before liveness is DOWN
 * @param relayStallTimeout    how long the outbox sweeper may not complete a round, while rows are pending, before
 *                             liveness is DOWN
 * @param checkTimeout         longest wait of one check for an answer from NATS or the database
 */
public record HealthSettings(Duration consumerStallTimeout, Duration relayStallTimeout, Duration checkTimeout) {
}
