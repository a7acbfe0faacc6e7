/**
 * The operator's REST resource for the outbox, internal: backlog, failed rows, retry and discard under
 * {@code jetstream-bridge/admin/outbox}, with the switch and role of bridge-cdi's admin resources.
 *
 * <p>Internal as Java types (public because JAX-RS requires it; no compatibility promise); the HTTP interface is
 * documented in {@code docs/outbox.md}.
 */
package io.jetstreambridge.outbox.admin;
