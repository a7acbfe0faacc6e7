/**
 * The wire contract of a message body and its headers, API: the {@link io.jetstreambridge.envelope.Envelope}
 * record, how it is filled in ({@link io.jetstreambridge.envelope.EnvelopeFactory}), written and read
 * ({@link io.jetstreambridge.envelope.EnvelopeCodec}), and the header names
 * ({@link io.jetstreambridge.envelope.WireHeaders}).
 *
 * <p>Compatibility is promised: other services read and write this format without the bridge.
 */
package io.jetstreambridge.envelope;
