package io.jetstreambridge.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

class ProcCpuTest {

    @Test
    void readsThisJvmsTicksAndTheMachinesAsTheyGrowWithWork() {
        long self = ProcessHandle.current().pid();
        ProcCpu.Process before = self();
        ProcCpu.Machine machineBefore = ProcCpu.machine();

        burnCpu(300);

        ProcCpu.Process after = self();
        ProcCpu.Machine machineAfter = ProcCpu.machine();
        assertThat(after.pid()).isEqualTo(self);
        assertThat(after.parent()).isEqualTo(ProcessHandle.current().parent().orElseThrow().pid());
        assertThat(after.name()).isEqualTo("java");
        // 300 ms of this thread's CPU are 30 ticks; the rest of the JVM only adds to it
        assertThat(after.ticks() - before.ticks()).isGreaterThanOrEqualTo(25);
        assertThat(machineAfter.busyTicks() - machineBefore.busyTicks()).isGreaterThanOrEqualTo(25);
        assertThat(machineAfter.idleShareSince(machineBefore)).isBetween(0.0, 1.0);
    }

    private static ProcCpu.Process self() {
        long self = ProcessHandle.current().pid();
        return ProcCpu.processes().stream().filter(p -> p.pid() == self).findFirst().orElseThrow();
    }

    /** Spins until this thread has used {@code millis} of CPU (not of wall-clock time). */
    private static void burnCpu(long millis) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long end = threads.getCurrentThreadCpuTime() + millis * 1_000_000;
        long sink = 0;
        while (threads.getCurrentThreadCpuTime() < end) {
            for (int i = 0; i < 10_000; i++) {
                sink += i * 31L ^ sink;
            }
        }
        assertThat(sink).isNotEqualTo(1); // keeps the loop from being optimised away
    }
}
