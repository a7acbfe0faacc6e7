/**
 * The consumer engine, internal: pull and push loops over the durable consumer, the message processor (decode,
 * deliver, ack, nak or dead-letter), keep-alive, workers and the unit of work a delivery runs in.
 *
 * <p>Internal engine: public only for bridge-cdi, bridge-ejb-outbox and the admin command line; no compatibility promise.
 */
package io.jetstreambridge.core.consume;
