/**
 * Settings read from MicroProfile Config for bridge-api's validation, internal: the one adapter from a
 * MicroProfile {@code Config} to a {@code SettingsSource}, used by bridge-cdi and the admin command line.
 *
 * <p>Internal engine: public only for bridge-cdi, bridge-ejb-outbox and the admin command line; no compatibility promise.
 */
package io.jetstreambridge.core.config;
