package io.jetstreambridge.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * CPU time used so far, read from Linux's {@code /proc}: per process (utime + stime of {@code /proc/[pid]/stat})
 * and for the whole machine ({@code /proc/stat}). The bench's CPU split and the fault suite's scaling run both
 * attribute CPU with it, so the two read the same counters the same way. Empty where {@code /proc} is missing.
 */
public final class ProcCpu {

    /** Clock ticks per second of {@code /proc} (USER_HZ, 100 on Linux). */
    public static final double TICKS_PER_SECOND = 100.0;

    private ProcCpu() {
    }

    /**
     * One process's CPU so far.
     *
     * @param ticks      user + system ticks of the process itself (all its threads)
     * @param endedChildTicks user + system ticks of its children that ended and were waited for (cutime + cstime):
     *                   a PostgreSQL postmaster's connections and autovacuum workers that are gone
     */
    public record Process(long pid, long parent, String name, long ticks, long endedChildTicks) {
    }

    /** The whole machine's CPU so far, over every core: busy (user, nice, system, irq, softirq, steal) and idle. */
    public record Machine(long busyTicks, long idleTicks) {

        /** Share of all cores' time that was idle between {@code earlier} and this reading (0..1). */
        public double idleShareSince(Machine earlier) {
            long busy = busyTicks - earlier.busyTicks;
            long idle = idleTicks - earlier.idleTicks;
            return busy + idle <= 0 ? 0 : (double) idle / (busy + idle);
        }
    }

    /** Every process now running; empty without {@code /proc}. */
    public static List<Process> processes() {
        List<Process> all = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .forEach(p -> read(p).ifPresent(all::add));
        } catch (IOException e) {
            return List.of();
        }
        return all;
    }

    /**
     * The threads of one process now (from {@code /proc/[pid]/task}), each as a {@link Process} whose pid is the
     * thread's id and whose name is the thread's name as the kernel keeps it (15 characters: a JVM's
     * {@code C2 CompilerThre}); empty when the process is gone.
     */
    public static List<Process> threads(long pid) {
        List<Process> all = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            entries.forEach(p -> read(p).ifPresent(all::add));
        } catch (IOException e) {
            return List.of();
        }
        return all;
    }

    private static Optional<Process> read(Path dir) {
        String stat;
        try {
            stat = Files.readString(dir.resolve("stat"));
        } catch (IOException e) {
            return Optional.empty(); // the process ended meanwhile
        }
        // the name is in parentheses and may itself contain spaces or parentheses: split after the last ')'
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        String[] fields = stat.substring(close + 2).split(" ");
        long pid = Long.parseLong(dir.getFileName().toString());
        return Optional.of(new Process(pid, Long.parseLong(fields[1]), stat.substring(open + 1, close),
                Long.parseLong(fields[11]) + Long.parseLong(fields[12]),
                Long.parseLong(fields[13]) + Long.parseLong(fields[14])));
    }

    /** The machine's counters, or zeros without {@code /proc/stat}. */
    public static Machine machine() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    // user nice system idle iowait irq softirq steal (guest time is already in user)
                    long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3])
                            + Long.parseLong(f[6]) + Long.parseLong(f[7]) + (f.length > 8 ? Long.parseLong(f[8]) : 0);
                    long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
                    return new Machine(busy, idle);
                }
            }
        } catch (IOException | RuntimeException e) {
            return new Machine(0, 0);
        }
        return new Machine(0, 0);
    }
}
