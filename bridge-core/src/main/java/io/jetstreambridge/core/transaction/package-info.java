/**
 * Work in a transaction of its own, SPI: {@code Transactions} is what the relay, the clean-ups and the outbox's
 * maintenance run their work through; the JTA and RESOURCE_LOCAL implementations and the cause-chain helper are
 * internal.
 *
 * <p>The implementations are public only for bridge-cdi, bridge-ejb-outbox and the admin command line, with no
 * compatibility promise.
 */
package io.jetstreambridge.core.transaction;
