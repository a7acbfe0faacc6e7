/**
 * The OpenTelemetry implementation of the telemetry SPI, internal: the only classes that name OpenTelemetry types,
 * linked only after bridge-cdi found the API and the container's {@code OpenTelemetry} bean.
 *
 * <p>Internal engine: public only for bridge-cdi, bridge-ejb-outbox and the admin command line; no compatibility promise.
 */
package io.jetstreambridge.core.telemetry.otel;
