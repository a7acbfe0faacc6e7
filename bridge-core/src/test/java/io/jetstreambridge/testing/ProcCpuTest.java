package io.jetstreambridge.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.CountDownLatch;

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

    @Test
    void readsTheThreadsOfAProcessByTheirNames() throws Exception {
        long self = ProcessHandle.current().pid();
        Thread ended = new Thread(() -> burnCpu(50), "proccpu-ended");
        ended.start();
        ended.join();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread alive = new Thread(() -> {
            burnCpu(100);
            running.countDown();
            awaitQuietly(release);
        }, "proccpu-alive");
        alive.start();
        try {
            running.await();
            List<ProcCpu.Process> threads = ProcCpu.threads(self);
            // a thread that runs is there with its name and its CPU; one that ended is gone from /proc
            assertThat(threads).filteredOn(t -> t.name().equals("proccpu-alive")).singleElement()
                    .satisfies(t -> assertThat(t.ticks()).isGreaterThanOrEqualTo(5));
            assertThat(threads).extracting(ProcCpu.Process::name).doesNotContain("proccpu-ended");
        } finally {
            release.countDown();
            alive.join();
        }
        assertThat(ProcCpu.threads(Long.MAX_VALUE)).isEmpty();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
