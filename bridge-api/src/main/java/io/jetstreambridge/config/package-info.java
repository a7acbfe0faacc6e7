/**
 * The bridge's configuration, API: every key once ({@link io.jetstreambridge.config.ConfigKey}), the validated,
 * immutable {@link io.jetstreambridge.config.BridgeConfig} with its settings records, and
 * {@link io.jetstreambridge.config.InvalidConfigurationException} listing every problem at once.
 *
 * <p>Compatibility is promised for the public types; the single validation pass behind
 * {@code BridgeConfig.from} is package-private. The keys, defaults and rules are documented in
 * {@code docs/configuration.md}, which a test keeps in step with {@code ConfigKey}.
 */
package io.jetstreambridge.config;
