/**
 * The outbox relay, internal: claiming committed rows, publishing them, finishing or rescheduling them, the fast
 * path after each commit and the sweeper's scheduled rounds.
 *
 * <p>Internal engine: public only for bridge-cdi, bridge-ejb-outbox and the admin command line; no compatibility promise.
 */
package io.jetstreambridge.core.relay;
