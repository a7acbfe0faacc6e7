/**
 * The NATS connection built from the settings, internal: jnats options, connecting at start-up or in the
 * background, and failures whose messages never show a URL's user info.
 *
 * <p>Internal engine: public only for bridge-cdi, bridge-ejb-outbox and the admin command line; no compatibility promise.
 */
package io.jetstreambridge.core.connection;
