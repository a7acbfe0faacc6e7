/**
 * The choice of telemetry, internal: whether the OpenTelemetry API and the container's {@code OpenTelemetry} bean are
 * there, found without linking the API, and the engines' {@code BridgeTelemetry} chosen from that.
 *
 * <p>Internal: no compatibility promise.
 */
package io.jetstreambridge.cdi.telemetry;
