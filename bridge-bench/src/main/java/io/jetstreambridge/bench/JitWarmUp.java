package io.jetstreambridge.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Warms the JVM until the JIT compiler has mostly finished: a step of load is repeated until compilation took less
 * than {@link #SETTLED} of a step's wall time, or {@code limit} passed. With EclipseLink, Weld, Narayana and two
 * clients on 2 cores, the C2 compiler kept most of a core busy for minutes; a fixed warm-up of 15 s left the
 * measured runs paying for it, which a long-running server does only once.
 */
final class JitWarmUp {

    static final double SETTLED = 0.05;

    @FunctionalInterface
    interface Step {
        void run(Duration length) throws Exception;
    }

    record Result(Duration took, double lastShare) {

        String describe() {
            return String.format("warmed %d s, compilation %.0f %% of the last step", took.toSeconds(),
                    lastShare * 100);
        }
    }

    private JitWarmUp() {
    }

    static Result until(Step step, Duration stepLength, Duration limit) throws Exception {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean(); // null without a JIT compiler
        boolean measurable = jit != null && jit.isCompilationTimeMonitoringSupported();
        long start = System.nanoTime();
        double share = 1;
        while (System.nanoTime() - start < limit.toNanos()) {
            long compiledBefore = measurable ? jit.getTotalCompilationTime() : 0;
            long stepStart = System.nanoTime();
            step.run(stepLength);
            if (!measurable) {
                share = 0;
                break;
            }
            share = (jit.getTotalCompilationTime() - compiledBefore) * 1_000_000.0 / (System.nanoTime() - stepStart);
            System.out.printf("   warm-up: compilation %.0f %% of the last %d s%n", share * 100,
                    stepLength.toSeconds());
            if (share < SETTLED) {
                break;
            }
        }
        return new Result(Duration.ofNanos(System.nanoTime() - start), share);
    }
}
