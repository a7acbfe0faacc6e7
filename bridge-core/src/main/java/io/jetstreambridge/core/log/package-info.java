/**
 * The numbered log messages of the engines and adapters ({@code JSBnnnn}), internal: one catalogue, each code listed
 * with its level and what to do in {@code docs/log-messages.md}.
 *
 * <p>Internal engine: public only for bridge-cdi, bridge-ejb-outbox and the admin command line; no compatibility promise. The codes themselves are documented for operators.
 */
package io.jetstreambridge.core.log;
