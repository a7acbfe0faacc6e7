package io.jetstreambridge.reliability;

import io.jetstreambridge.testing.ProcCpu;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * CPU time of named groups of processes over a stretch of a run (from {@code /proc}, {@link ProcCpu}): the
 * publisher JVMs, the consumer JVMs, the nats-servers, the run's own PostgreSQL cluster (its postmaster, every
 * child, and the children that ended meanwhile) and the suite's JVM; and how busy the whole machine was, so that
 * what other work on the machine took shows too.
 */
final class GroupCpu {

    static final String POSTGRES = "PostgreSQL";
    static final String SUITE = "suite JVM";

    private final Map<String, Set<Long>> groups;
    private final Set<String> jvmGroups;
    private final long postmaster;
    private final Map<String, Long> startTicks;
    private final Map<String, Long> startJit;
    private final ProcCpu.Machine startMachine;
    private final long startNanos;

    private GroupCpu(Map<String, Set<Long>> groups, Set<String> jvmGroups, long postmaster) {
        this.groups = Map.copyOf(groups);
        this.jvmGroups = Set.copyOf(jvmGroups);
        this.postmaster = postmaster;
        this.startMachine = ProcCpu.machine();
        this.startTicks = ticks();
        this.startJit = jitTicks();
        this.startNanos = System.nanoTime();
    }

    /**
     * Starts measuring the groups (name to process ids) and the PostgreSQL cluster whose postmaster is given; of the
     * {@code jvmGroups} (JVMs with a fixed number of compiler threads: {@code -XX:-UseDynamicNumberOfCompilerThreads},
     * so none ends and takes its time along) the JIT compiler threads' share is measured too.
     */
    static GroupCpu begin(Map<String, Set<Long>> groups, Set<String> jvmGroups, long postmaster) {
        return new GroupCpu(groups, jvmGroups, postmaster);
    }

    Usage end() {
        Map<String, Long> now = ticks();
        Map<String, Long> jitNow = jitTicks();
        ProcCpu.Machine machine = ProcCpu.machine();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Double> cores = new LinkedHashMap<>();
        now.forEach((group, ticks) -> cores.put(group,
                (ticks - startTicks.getOrDefault(group, 0L)) / ProcCpu.TICKS_PER_SECOND / seconds));
        Map<String, Double> jit = new LinkedHashMap<>();
        jitNow.forEach((group, ticks) -> jit.put(group,
                (ticks - startJit.getOrDefault(group, 0L)) / ProcCpu.TICKS_PER_SECOND / seconds));
        int available = Runtime.getRuntime().availableProcessors();
        double idle = machine.idleShareSince(startMachine);
        // the machine's busy share of all cores' time, in cores: unlike its ticks over our clock, never above them all
        return new Usage(cores, jit, (1 - idle) * available, idle, seconds, available);
    }

    private Map<String, Long> ticks() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        groups.keySet().stream().sorted().forEach(group -> ticks.put(group, 0L));
        ticks.put(POSTGRES, 0L);
        ticks.put(SUITE, 0L);
        long self = ProcessHandle.current().pid();
        for (ProcCpu.Process process : ProcCpu.processes()) {
            String group = process.pid() == self ? SUITE
                    : process.pid() == postmaster || process.parent() == postmaster ? POSTGRES
                    : groups.entrySet().stream().filter(e -> e.getValue().contains(process.pid()))
                    .map(Map.Entry::getKey).findFirst().orElse(null);
            if (group != null) {
                long used = process.ticks() + (process.pid() == postmaster ? process.endedChildTicks() : 0);
                ticks.merge(group, used, Long::sum);
            }
        }
        return ticks;
    }

    /** Ticks of the JIT compiler threads (HotSpot's {@code C1 CompilerThreadN}, {@code C2 CompilerThreadN}). */
    private Map<String, Long> jitTicks() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        for (String group : jvmGroups) {
            long sum = 0;
            for (long pid : groups.getOrDefault(group, Set.of())) {
                sum += ProcCpu.threads(pid).stream().filter(t -> t.name().matches("C[12] CompilerThre.*"))
                        .mapToLong(ProcCpu.Process::ticks).sum();
            }
            ticks.put(group, sum);
        }
        return ticks;
    }

    /**
     * Cores busy per group (1.0 = one core all the time), and for the whole machine.
     *
     * @param jit       of a JVM group's cores, those its JIT compiler threads took
     * @param idleShare the share of all cores' time that was idle
     */
    record Usage(Map<String, Double> cores, Map<String, Double> jit, double machineBusy, double idleShare,
                 double seconds, int available) {

        double of(String group) {
            return cores.getOrDefault(group, 0.0);
        }

        double jitOf(String group) {
            return jit.getOrDefault(group, 0.0);
        }

        double ours() {
            return cores.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        /** What other processes on the machine (other work, not this run's) took. */
        double others() {
            return Math.max(0, machineBusy - ours());
        }

        /** Under 5 % of the cores' time idle: the machine's cores were the limit. */
        boolean saturated() {
            return idleShare < 0.05;
        }
    }
}
