/**
 * The CDI adapter of the transactional outbox, internal: builds bridge-core's outbox publisher, relay and sweeper
 * from the configuration and the container's resources, runs them with the application, and adds the outbox's
 * health contribution and gauges.
 *
 * <p>Internal: public only where the container or the tests' containers need it; no compatibility promise.
 * Applications inject bridge-api's {@code Publisher}, which is the outbox publisher when {@code outbox.enabled}.
 */
package io.jetstreambridge.outbox.cdi;
