/**
 * The root of what applications compile against, API: the exception every bridge failure extends
 * ({@link io.jetstreambridge.JetstreamBridgeException}) and the qualifiers of the application's own
 * {@code EntityManager} ({@link io.jetstreambridge.BridgePersistence}) and {@code Jsonb}
 * ({@link io.jetstreambridge.BridgeJsonb}).
 *
 * <p>Compatibility is promised for every public type of {@code bridge-api}.
 */
package io.jetstreambridge;
