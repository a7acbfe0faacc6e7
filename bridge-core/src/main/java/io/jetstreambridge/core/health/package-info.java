/**
 * What the health checks report, without MicroProfile Health, SPI and internal: {@code HealthContributor} is the
 * SPI another module (the outbox) implements to add to the checks; the probes are internal engines.
 *
 * <p>The SPI may gain default methods; the probes are public only for bridge-cdi, bridge-ejb-outbox and the admin
 * command line, with no compatibility promise.
 */
package io.jetstreambridge.core.health;
