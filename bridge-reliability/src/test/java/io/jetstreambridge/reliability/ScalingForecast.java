package io.jetstreambridge.reliability;

import java.util.Map;

/**
 * What the capacity model says a configuration sustains, which the scaling run sets beside what it measured. The
 * run needs only this; {@link #sharedHost} is the simplest model, used until the bench's own capacity model is
 * wired in here (issue 19).
 */
@FunctionalInterface
interface ScalingForecast {

    /**
     * @param instances instances of the publishing and, as many, of the consuming application
     * @param replicas  the stream's replicas (1: one nats-server; 3: a 3-node cluster on the same host)
     * @param hostCores the cores of the one host everything runs on
     */
    Forecast forecast(int instances, int replicas, int hostCores);

    /** Events per second end to end and the first limit the model names. */
    record Forecast(double eventsPerSecond, String bottleneck) {
    }

    /**
     * Everything on one host: events/s = host cores / the sum of every party's CPU per event (microseconds) x 1e6,
     * with the stored copy costed once per replica (all replicas run on the host). Instances do not change it: on one
     * host more instances add no cores. The limit is the host's cores; the party that takes the largest share is
     * named as the one to relieve first.
     */
    static ScalingForecast sharedHost(CostTable costs) {
        return (instances, replicas, hostCores) -> {
            Map<String, Double> perEvent = new java.util.LinkedHashMap<>();
            costs.micros().forEach((key, micros) -> perEvent.put(key,
                    key.equals("nats.store.cpu_us") ? micros * replicas : micros));
            double total = perEvent.values().stream().mapToDouble(Double::doubleValue).sum();
            if (total <= 0) {
                return new Forecast(Double.POSITIVE_INFINITY, "no cost measured");
            }
            Map.Entry<String, Double> largest = perEvent.entrySet().stream()
                    .max(Map.Entry.comparingByValue()).orElseThrow();
            String party = CostTable.PARTIES.get(largest.getKey())
                    + (largest.getKey().equals("nats.store.cpu_us") && replicas > 1 ? " (x" + replicas + ")" : "");
            return new Forecast(hostCores / total * 1_000_000, String.format(java.util.Locale.ROOT,
                    "the host's %d cores (largest share: %s, %.0f %%)", hostCores, party,
                    100 * largest.getValue() / total));
        };
    }
}
