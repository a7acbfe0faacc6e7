package io.jetstreambridge.bench;

import java.util.Arrays;

/** Small arithmetic of the bench: rates and percentiles. */
final class Figures {

    private Figures() {
    }

    static double perSecond(long count, long nanos) {
        return nanos <= 0 ? 0 : count * 1_000_000_000.0 / nanos;
    }

    /** The p-th percentile (0-100) of the values, nearest rank; 0 for none. */
    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static long[] sorted(long[] values) {
        long[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }

    static String rate(double perSecond) {
        return String.format("%,.0f/s", perSecond);
    }

    static String ratio(double value, double baseline) {
        if (baseline <= 0) {
            return "n/a";
        }
        double ratio = value / baseline;
        return String.format(ratio < 0.1 ? "%.3f×" : "%.2f×", ratio);
    }

    static String millis(double nanos) {
        return String.format("%.1f ms", nanos / 1_000_000.0);
    }
}
