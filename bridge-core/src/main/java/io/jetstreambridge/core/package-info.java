/**
 * What the engines of every package share, internal: {@link io.jetstreambridge.core.Required}, the check every
 * engine builder runs at {@code build()}.
 *
 * <p>Internal: public only for bridge-core's own packages; no compatibility promise.
 */
package io.jetstreambridge.core;
