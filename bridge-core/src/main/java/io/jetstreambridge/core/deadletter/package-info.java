/**
 * Dead letters on the stream, internal: listing, inspecting, replaying and purging the DLQ
 * ({@code DeadLetterOperations} over the {@code DeadLetterQueue} engine) and the records they return.
 *
 * <p>Internal engine: public only for bridge-cdi, bridge-ejb-outbox and the admin command line; no compatibility promise. Applications that manage dead letters themselves inject bridge-cdi's {@code DeadLetterService} (a
 * {@code DeadLetterOperations}); operators use the REST resource or the command line.
 */
package io.jetstreambridge.core.deadletter;
