package io.jetstreambridge.core.health;

import io.jetstreambridge.topology.Peers;
import io.jetstreambridge.topology.Topology;

/**
 * Where readiness and liveness put one durable's data: under {@code consumer} for the primary peer's durable, as
 * with one peer, and under {@code consumer-{peer}} for each further peer's ({@code consumer-shipping-state}), so an
 * application with one peer reports the keys it always did and every further durable gets the same keys beside them.
 * Startup, readiness and liveness share it, so a durable's keys match across the three.
 */
public final class ConsumerHealthKeys {

    public static final String PRIMARY = "consumer";

    private ConsumerHealthKeys() {
    }

    public static String prefix(Peers peers, Topology peer) {
        return peer.equals(peers.primary()) ? PRIMARY : PRIMARY + "-" + peer.destinationApp();
    }
}
