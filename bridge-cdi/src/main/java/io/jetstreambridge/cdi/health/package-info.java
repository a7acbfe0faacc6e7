/**
 * The MicroProfile Health checks of the bridge, internal: readiness, liveness and start-up over bridge-core's probes
 * and the {@code HealthContributor}s other modules add.
 *
 * <p>Internal as Java types (public because MicroProfile Health requires it; no compatibility promise); what the
 * checks report is documented in {@code docs/operations-health.md}.
 */
package io.jetstreambridge.cdi.health;
