/**
 * Stream and consumer provisioning, internal: creating or updating the stream and every peer's durable consumer from the
 * settings, reporting drift, and retrying while JetStream is not yet available at start-up.
 *
 * <p>Internal engine: public only for bridge-cdi, bridge-ejb-outbox and the admin command line; no compatibility promise.
 */
package io.jetstreambridge.core.topology;
