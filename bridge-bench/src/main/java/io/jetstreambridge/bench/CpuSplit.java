package io.jetstreambridge.bench;

import io.jetstreambridge.testing.ProcCpu;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of the bench's JVM, the bench's PostgreSQL cluster (its postmaster, every child and the children that
 * ended meanwhile; not the machine's shared server, which other work may use) and nats-server over a stretch of the
 * run (the bench's own server, whose pid bench.sh passes; by name when it does not), from {@code /proc} ({@code ProcCpu} of the bridge-cdi test-jar): where the machine's cores went, to say what limits a figure. Empty where {@code /proc} is
 * missing.
 */
final class CpuSplit {

    /** Cores busy per process (1.0 = one core all the time) and in all. */
    record Result(Map<String, Double> cores, double seconds, int available) {

        /** CPU time of one process per event, in microseconds, at {@code perSecond} events. */
        double microsPerEvent(String process, double perSecond) {
            return perSecond <= 0 ? 0 : cores.getOrDefault(process, 0.0) / perSecond * 1_000_000;
        }

        /** The process that used the most CPU. */
        String largest() {
            return cores.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("none");
        }

        double total() {
            return cores.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        /** Both stretches as one: each process's cores weighted by the stretch's length. */
        Result plus(Result other) {
            if (other == null || other.seconds <= 0) {
                return this;
            }
            if (seconds <= 0) {
                return other;
            }
            double sum = seconds + other.seconds;
            Map<String, Double> merged = new LinkedHashMap<>();
            cores.forEach((process, used) -> merged.put(process, used * seconds / sum));
            other.cores.forEach((process, used) -> merged.merge(process, used * other.seconds / sum, Double::sum));
            return new Result(merged, sum, available);
        }

        String describe() {
            if (cores.isEmpty()) {
                return "CPU split not available (no /proc)";
            }
            StringBuilder text = new StringBuilder(String.format("of %d cores, %.2f busy: ", available, total()));
            cores.forEach((process, used) -> text.append(String.format("%s %.2f, ", process, used)));
            return text.substring(0, text.length() - 2);
        }
    }

    private final long postmaster;
    private final long natsServer;
    private final Map<String, Long> start;
    private final long startNanos = System.nanoTime();

    private CpuSplit(long postmaster, long natsServer) {
        this.postmaster = postmaster;
        this.natsServer = natsServer;
        this.start = ticks();
    }

    /**
     * Starts measuring; {@code postmaster} is the pid of the bench's PostgreSQL cluster, {@code natsServer} the
     * bench's nats-server's (or -1: every process named nats-server).
     */
    static CpuSplit begin(long postmaster, long natsServer) {
        return new CpuSplit(postmaster, natsServer);
    }

    Result end() {
        Map<String, Long> now = ticks();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Double> cores = new LinkedHashMap<>();
        now.forEach((process, ticks) -> cores.put(process,
                (ticks - start.getOrDefault(process, 0L)) / ProcCpu.TICKS_PER_SECOND / seconds));
        return new Result(cores, seconds, Runtime.getRuntime().availableProcessors());
    }

    /** User + system ticks so far of the bench JVM, the bench's PostgreSQL and nats-server. */
    private Map<String, Long> ticks() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        long self = ProcessHandle.current().pid();
        for (ProcCpu.Process p : ProcCpu.processes()) {
            long used = p.ticks();
            if (p.pid() == postmaster) { // its children that ended (connections, autovacuum workers)
                used += p.endedChildTicks();
            }
            String process = p.pid() == self ? "bench JVM"
                    : p.pid() == postmaster || p.parent() == postmaster ? "PostgreSQL"
                    : (natsServer > 0 ? p.pid() == natsServer : p.name().equals("nats-server")) ? "nats-server" : null;
            if (process != null) {
                ticks.merge(process, used, Long::sum);
            }
        }
        return ticks;
    }
}
