package io.jetstreambridge.bench;

import java.util.Arrays;

/**
 * B0 and B1's publishes, measured in alternating rounds: raw jnats and the bridge take turns (the one going first
 * changes every round) and each figure is the median of its rounds. On a shared 2-core machine the rate drifts by
 * a third within a minute; measured back to back in one block each, that drift ended up in the ratios.
 */
final class PublishRounds {

    static final int ROUNDS = 5;

    /** Medians; the bridge's are 0 when only B0 was asked for. */
    record Result(double rawSync, double rawAsync, double bridgeSync, double bridgeAll) {
    }

    private final RawBaselines raw;
    private final PublisherBench bridge;

    /** @param bridge {@code null} to measure raw jnats alone */
    PublishRounds(RawBaselines raw, PublisherBench bridge) {
        this.raw = raw;
        this.bridge = bridge;
    }

    Result run(BenchSettings settings) throws Exception {
        int sync = settings.syncPublishes() / ROUNDS;
        int async = settings.asyncPublishes() / ROUNDS;
        raw.syncRound("warm-", settings.syncPublishes() / 5);
        raw.asyncRound("warm-async-", settings.asyncPublishes() / 5);
        if (bridge != null) {
            bridge.syncRound("warm", settings.syncPublishes() / 5);
            bridge.allRound("warm-all", settings.asyncPublishes() / 5);
        }
        double[] rawSync = new double[ROUNDS];
        double[] rawAsync = new double[ROUNDS];
        double[] bridgeSync = new double[ROUNDS];
        double[] bridgeAll = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            int r = round;
            String tag = "r" + round + "-";
            boolean rawFirst = round % 2 == 0;
            rawSync[r] = turns(rawFirst, () -> raw.syncRound("sync-" + tag, sync),
                    () -> bridgeSync[r] = bridge.syncRound("sync-" + tag, sync));
            rawAsync[r] = turns(rawFirst, () -> raw.asyncRound("async-" + tag, async),
                    () -> bridgeAll[r] = bridge.allRound("all-" + tag, async));
        }
        return new Result(median(rawSync), median(rawAsync), median(bridgeSync), median(bridgeAll));
    }

    @FunctionalInterface
    interface Measure {
        double rate() throws Exception;
    }

    /** Runs raw jnats' measure and the bridge's (when there is a bridge) in the given order; returns raw's rate. */
    private double turns(boolean rawFirst, Measure rawMeasure, Measure bridgeMeasure) throws Exception {
        if (bridge == null) {
            return rawMeasure.rate();
        }
        if (rawFirst) {
            double rate = rawMeasure.rate();
            bridgeMeasure.rate();
            return rate;
        }
        bridgeMeasure.rate();
        return rawMeasure.rate();
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
