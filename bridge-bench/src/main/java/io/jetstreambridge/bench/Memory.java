package io.jetstreambridge.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** The JVM's memory as the operating system and the collector see it. */
final class Memory {

    private Memory() {
    }

    /** Peak resident set size of this process (VmHWM), in MiB; -1 where /proc is not there. */
    static long peakRssMiB() {
        return procStatus("VmHWM:");
    }

    /** Current resident set size (VmRSS), in MiB. */
    static long rssMiB() {
        return procStatus("VmRSS:");
    }

    /** Heap in use right after a full collection, in MiB: what stays live. */
    static long liveHeapMiB() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
    }

    private static long procStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
