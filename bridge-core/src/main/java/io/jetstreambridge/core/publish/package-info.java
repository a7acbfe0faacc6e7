/**
 * The direct publisher engine, internal: envelope, message id, pipelined publishing with acknowledgement deadlines
 * and retries, and the payload mapping both directions share.
 *
 * <p>Internal engine: public only for bridge-cdi, bridge-ejb-outbox and the admin command line; no compatibility promise. Applications use bridge-api's {@code Publisher}.
 */
package io.jetstreambridge.core.publish;
