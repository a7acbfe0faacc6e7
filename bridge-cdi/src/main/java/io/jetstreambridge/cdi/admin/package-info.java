/**
 * The operator's REST resources for dead letters and the consumer, internal: JAX-RS resources under
 * {@code jetstream-bridge/admin/}, off unless {@code admin.enabled}, for callers in role
 * {@code jetstream-bridge-admin}.
 *
 * <p>Internal as Java types (public because JAX-RS requires it; no compatibility promise); the HTTP interface is
 * documented in {@code docs/dead-letters.md} and {@code docs/operations-health.md}.
 */
package io.jetstreambridge.cdi.admin;
