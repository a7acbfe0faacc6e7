/**
 * Consuming events, API: the {@link io.jetstreambridge.consume.JetstreamEvent} observers receive, the qualifiers
 * {@link io.jetstreambridge.consume.EventType} and {@link io.jetstreambridge.consume.ResourceType} that select them,
 * and {@link io.jetstreambridge.consume.UnrecoverableEventException}, which dead-letters an event at once.
 *
 * <p>Compatibility is promised.
 */
package io.jetstreambridge.consume;
