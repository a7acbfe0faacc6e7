/**
 * The engines' telemetry, SPI: {@code BridgeTelemetry} is what the engines report publishes, processed messages and
 * gauges to, with no OpenTelemetry type ({@code BridgeTelemetry.NONE} does nothing); the metric and attribute names
 * and trace-header helpers sit beside it.
 *
 * <p>The SPI evolves by default methods; an implementation outside the bridge should expect additions.
 */
package io.jetstreambridge.core.telemetry;
