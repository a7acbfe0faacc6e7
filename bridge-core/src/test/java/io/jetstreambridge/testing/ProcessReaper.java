package io.jetstreambridge.testing;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Remembers every nats-server process the fixture started and kills the survivors when the JVM exits.
 *
 * <p>This is the one static registry of the fixture, and it has to be: a test that forgets
 * {@code close()}, or a surefire fork that is shut down mid-test, must not leave brokers holding ports
 * and store directories on a CI machine. Processes are killed with SIGKILL because a JVM shutdown hook
 * should be quick and the store directories are throw-away anyway.
 */
final class ProcessReaper {

    private static final Set<Process> LIVE = new LinkedHashSet<>();
    private static boolean hookInstalled;

    private ProcessReaper() {
    }

    static synchronized void register(Process process) {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(ProcessReaper::killAll, "nats-server-reaper"));
            hookInstalled = true;
        }
        LIVE.add(process);
    }

    static synchronized void unregister(Process process) {
        LIVE.remove(process);
    }

    private static void killAll() {
        List<Process> survivors;
        synchronized (ProcessReaper.class) {
            survivors = List.copyOf(LIVE);
            LIVE.clear();
        }
        survivors.forEach(Process::destroyForcibly);
    }
}
