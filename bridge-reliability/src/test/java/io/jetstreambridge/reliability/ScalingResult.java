package io.jetstreambridge.reliability;

/**
 * One configuration of the scaling run, measured: what was committed and consumed over the window (counted in
 * PostgreSQL), the CPU of each process group over the same window, the ledger once the flow settled, and the
 * forecast for the same configuration.
 *
 * @param inFlightAtStart committed but not yet observed when the window opened (outbox, stream, consumer)
 * @param inFlightAtEnd   the same when it closed: growing means the consuming side did not keep up
 */
record ScalingResult(int instances, int replicas, int writersPerInstance, GroupCpu.Usage cpu,
                     long committedInWindow, long consumedInWindow, long inFlightAtStart, long inFlightAtEnd,
                     Pipeline.Tally tally, ScalingForecast.Forecast forecast, long runMillis) {

    static final String PUBLISHERS = "publisher JVMs";
    static final String CONSUMERS = "consumer JVMs";
    static final String NATS = "nats-server";

    String label() {
        return instances + " + " + instances + " instances, " + (replicas == 1 ? "R1 (1 server)" : "R" + replicas
                + " (" + replicas + "-node cluster)");
    }

    double committedPerSecond() {
        return committedInWindow / cpu.seconds();
    }

    double consumedPerSecond() {
        return consumedInWindow / cpu.seconds();
    }

    /** What got all the way through at a pace the pipeline holds: the slower of the two sides. */
    double endToEndPerSecond() {
        return Math.min(committedPerSecond(), consumedPerSecond());
    }

    /** (measured - forecast) / forecast, in percent. */
    double errorPercent() {
        return 100 * (endToEndPerSecond() - forecast.eventsPerSecond()) / forecast.eventsPerSecond();
    }

    /** Cores the run's own processes took (applications, nats-servers, PostgreSQL; not the suite's JVM). */
    double runCores() {
        return cpu.of(PUBLISHERS) + cpu.of(CONSUMERS) + cpu.of(NATS) + cpu.of(GroupCpu.POSTGRES);
    }

    /** The run's process group that took the most CPU over the window. */
    String largestGroup() {
        return java.util.stream.Stream.of(PUBLISHERS, CONSUMERS, NATS, GroupCpu.POSTGRES)
                .max(java.util.Comparator.comparingDouble(cpu::of)).orElseThrow();
    }

    /** CPU microseconds per event of a JVM group's JIT compiler threads (part of {@link #microsPerEvent}). */
    double jitMicrosPerEvent(String group) {
        double all = microsPerEvent(group);
        return all <= 0 ? 0 : all * cpu.jitOf(group) / cpu.of(group);
    }

    /**
     * The forecast scaled to the cores the run's processes actually got (a CPU-bound model's rate grows with the
     * cores): on a machine shared with other work this separates the model's error from what that work took.
     */
    double forecastOnRunCores() {
        return forecast.eventsPerSecond() * runCores() / cpu.available();
    }

    double errorOnRunCoresPercent() {
        return 100 * (endToEndPerSecond() - forecastOnRunCores()) / forecastOnRunCores();
    }

    /** Every committed event observed exactly once, nothing observed that was not committed, and it settled. */
    boolean clean() {
        return tally.lost() == 0 && tally.doubled() == 0 && tally.phantomIds().isEmpty() && tally.problem() == null;
    }

    /**
     * CPU microseconds per event of a group: each side per event of its own side, the shared servers per event of
     * both.
     */
    double microsPerEvent(String group) {
        double rate = switch (group) {
            case PUBLISHERS -> committedPerSecond();
            case CONSUMERS -> consumedPerSecond();
            default -> (committedPerSecond() + consumedPerSecond()) / 2;
        };
        return rate <= 0 ? 0 : cpu.of(group) / rate * 1_000_000;
    }
}
