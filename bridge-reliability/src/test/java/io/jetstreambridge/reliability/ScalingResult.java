package io.jetstreambridge.reliability;

import io.jetstreambridge.testing.capacity.CapacityModel;
import io.jetstreambridge.testing.capacity.CostKey;

import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One configuration of the scaling run, measured: what was committed and consumed over the window (counted in
 * PostgreSQL), the CPU of each process group over the same window, the ledger once the flow settled, and the
 * capacity model's forecast for the same configuration and settings ({@code host}).
 *
 * @param host            the configuration as the model sees it: instances, replicas, the machine's cores, writers
 *                        per instance, the consumers' concurrency and batch size, the relay's batch and window
 * @param inFlightAtStart committed but not yet observed when the window opened (outbox, stream, consumer)
 * @param inFlightAtEnd   the same when it closed: growing means the consuming side did not keep up
 * @param warmUpMillis    how long the warm-up took (until compilation settled)
 */
record ScalingResult(CapacityModel model, CapacityModel.SharedHost host, GroupCpu.Usage cpu,
                     long committedInWindow, long consumedInWindow, long inFlightAtStart, long inFlightAtEnd,
                     Pipeline.Tally tally, long warmUpMillis, long runMillis) {

    static final String PUBLISHERS = "publisher JVMs";
    static final String CONSUMERS = "consumer JVMs";
    static final String NATS = "nats-server";

    int instances() {
        return host.instances();
    }

    int replicas() {
        return host.replicas();
    }

    String label() {
        return instances() + " + " + instances() + " instances, " + (replicas() == 1 ? "R1 (1 server)"
                : "R" + replicas() + " (" + replicas() + "-node cluster)");
    }

    /** The model's forecast on the machine's cores. */
    CapacityModel.Forecast forecast() {
        return model.forecast(host);
    }

    /**
     * The model's forecast on the cores the run's processes actually got (on a machine shared with other work this
     * separates the model's error from what that work took); the latency limits stay as they are.
     */
    CapacityModel.Forecast forecastOnRunCores() {
        return model.forecast(host.withCores(runCores()));
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
        return error(forecast());
    }

    double errorOnRunCoresPercent() {
        return error(forecastOnRunCores());
    }

    private double error(CapacityModel.Forecast forecast) {
        return 100 * (endToEndPerSecond() - forecast.eventsPerSecond()) / forecast.eventsPerSecond();
    }

    /**
     * One business transaction's time in the run, as the bench's {@code writer.tx_ms} (Little's law): the writers,
     * always busy in the closed loop, over their commits per second.
     */
    double writerTxMs() {
        double rate = committedPerSecond();
        return rate <= 0 ? Double.POSITIVE_INFINITY : 1000.0 * host.instances() * host.writersPerInstance() / rate;
    }

    /** Cores the run's own processes took (applications, nats-servers, PostgreSQL; not the suite's JVM). */
    double runCores() {
        return cpu.of(PUBLISHERS) + cpu.of(CONSUMERS) + cpu.of(NATS) + cpu.of(GroupCpu.POSTGRES);
    }

    /** The run's process group that took the most CPU over the window. */
    String largestGroup() {
        return Stream.of(PUBLISHERS, CONSUMERS, NATS, GroupCpu.POSTGRES)
                .max(Comparator.comparingDouble(cpu::of)).orElseThrow();
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

    /** CPU microseconds per event of a JVM group's JIT compiler threads (part of {@link #microsPerEvent}). */
    double jitMicrosPerEvent(String group) {
        double all = microsPerEvent(group);
        return all <= 0 ? 0 : all * cpu.jitOf(group) / cpu.of(group);
    }

    /** The run's processes' CPU per event, all groups together. */
    double measuredMicrosPerEvent() {
        return Stream.of(PUBLISHERS, CONSUMERS, NATS, GroupCpu.POSTGRES).mapToDouble(this::microsPerEvent).sum();
    }

    /** What the model's cost table gives a group per event (the parts of {@link CapacityModel#cpuPerEvent}). */
    double modelMicrosPerEvent(String group) {
        CapacityModel.Costs costs = model.costs();
        return switch (group) {
            case PUBLISHERS -> costs.producerAppCpu();
            case CONSUMERS -> costs.get(CostKey.CONSUMER_CPU);
            case NATS -> costs.natsPerEvent(CapacityModel.NatsFigures.IN_FLOW)
                    * (costs.leaderFactor(replicas()) + 2 * costs.followerFactor(replicas()));
            default -> costs.get(CostKey.PG_PRODUCER_CPU) + costs.get(CostKey.PG_CONSUMER_CPU);
        };
    }

    /** The group whose measured CPU per event exceeds the model's by the most microseconds. */
    String largestExcess() {
        return Stream.of(PUBLISHERS, CONSUMERS, NATS, GroupCpu.POSTGRES)
                .max(Comparator.comparingDouble(g -> microsPerEvent(g) - modelMicrosPerEvent(g))).orElseThrow();
    }
}
