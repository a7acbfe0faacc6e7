/**
 * The CDI adapters, internal: thin beans that build bridge-core's engines from the configuration and the container's
 * resources and tie them to the application's life cycle (connection, publisher choice, consumer, executors,
 * payload mapping, telemetry), and the portable extension that validates at deployment.
 *
 * <p>Internal: public only where bridge-ejb-outbox or the container needs it; no compatibility promise. Applications
 * inject bridge-api's {@code Publisher} and, to manage dead letters themselves, {@link io.jetstreambridge.cdi.DeadLetterService}.
 * {@link io.jetstreambridge.cdi.TransactionalPublishing} is the hook the outbox module implements.
 */
package io.jetstreambridge.cdi;
