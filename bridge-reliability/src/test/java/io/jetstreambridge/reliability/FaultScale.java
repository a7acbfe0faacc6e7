package io.jetstreambridge.reliability;

import java.time.Duration;

/**
 * How big a run is: {@code quick} (every build: fewer business transactions, the faults that fit in a few
 * minutes) or {@code full} ({@code bash .ci/faults.sh}: all faults, more load), from {@code jsb.faults.scale}.
 */
enum FaultScale {
    QUICK(400, 80, Duration.ofMinutes(3)),
    FULL(1500, 150, Duration.ofMinutes(5));

    private final int orders;
    private final int rate;
    private final Duration settle;

    FaultScale(int orders, int rate, Duration settle) {
        this.orders = orders;
        this.rate = rate;
        this.settle = settle;
    }

    static FaultScale current() {
        return "full".equalsIgnoreCase(System.getProperty("jsb.faults.scale", "quick")) ? FULL : QUICK;
    }

    /** Business transactions per publishing application. */
    int orders() {
        return orders;
    }

    /** Business transactions per second of one publishing application: faults land while commits go on. */
    int rate() {
        return rate;
    }

    /** Longest wait for the flow to settle once the fault is over. */
    Duration settle() {
        return settle;
    }

    boolean full() {
        return this == FULL;
    }

    String label() {
        return name().toLowerCase();
    }
}
