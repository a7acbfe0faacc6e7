/**
 * Publishing events, API: the {@link io.jetstreambridge.publish.Publisher} applications inject, the
 * {@link io.jetstreambridge.publish.OutgoingEvent} they hand it, its {@link io.jetstreambridge.publish.PublishResult}
 * and {@link io.jetstreambridge.publish.PublishException}, and the rules for an event's text.
 *
 * <p>Compatibility is promised. Whether a publisher sends directly or through the outbox is configuration, not a
 * different type.
 */
package io.jetstreambridge.publish;
