package io.jetstreambridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of the bench's JVM, the bench's PostgreSQL cluster (its postmaster, every child and the children that
 * ended meanwhile; not the machine's shared server, which other work may use) and nats-server over a stretch of the
 * run (the bench's own server, whose pid bench.sh passes; by name when it does not), from {@code /proc}: where the machine's cores went, to say what limits a figure. Empty where {@code /proc} is
 * missing.
 */
final class CpuSplit {

    /** Clock ticks per second of {@code /proc/[pid]/stat} (USER_HZ, 100 on Linux). */
    private static final double TICKS = 100.0;

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
                (ticks - start.getOrDefault(process, 0L)) / TICKS / seconds));
        return new Result(cores, seconds, Runtime.getRuntime().availableProcessors());
    }

    /** User + system ticks so far of the bench JVM, the bench's PostgreSQL and nats-server. */
    private Map<String, Long> ticks() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        long self = ProcessHandle.current().pid();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                String stat;
                try {
                    stat = Files.readString(p.resolve("stat"));
                } catch (IOException e) {
                    return; // the process ended meanwhile
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                String name = stat.substring(open + 1, close);
                String[] fields = stat.substring(close + 2).split(" ");
                long pid = Long.parseLong(p.getFileName().toString());
                long parent = Long.parseLong(fields[1]);
                long used = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
                if (pid == postmaster) { // cutime, cstime: its children that ended (connections, autovacuum workers)
                    used += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
                }
                String process = pid == self ? "bench JVM"
                        : pid == postmaster || parent == postmaster ? "PostgreSQL"
                        : (natsServer > 0 ? pid == natsServer : name.equals("nats-server")) ? "nats-server" : null;
                if (process != null) {
                    ticks.merge(process, used, Long::sum);
                }
            });
        } catch (IOException e) {
            return Map.of();
        }
        return ticks;
    }
}
