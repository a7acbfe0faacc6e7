/**
 * Clean-up of old inbox and outbox rows in bounded batches, internal.
 *
 * <p>Internal engine: public only for bridge-cdi, bridge-ejb-outbox and the admin command line; no compatibility promise.
 */
package io.jetstreambridge.core.retention;
