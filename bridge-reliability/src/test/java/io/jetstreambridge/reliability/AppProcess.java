package io.jetstreambridge.reliability;

import io.jetstreambridge.reliability.app.FaultApp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@link FaultApp} running in a JVM of its own, which the suite can kill with -9 ({@link #kill()}: SIGKILL) and
 * start again. Output goes to {@code <name>.log} in the run's directory.
 */
final class AppProcess {

    /** Application JVMs still running when the suite's JVM ends (a failed or interrupted run) are killed too. */
    private static final java.util.Set<Process> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "fault-apps-reaper"));
    }

    /** Small and quick to start: the machine has two cores shared with the suite and the servers. */
    static final List<String> QUICK_START = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Xshare:auto");

    private final String name;
    private final Map<String, String> properties;
    private final List<String> jvmOptions;
    private final Path log;
    private Process process;
    private int starts;

    private AppProcess(String name, Map<String, String> properties, List<String> jvmOptions, Path directory) {
        this.name = name;
        this.properties = Map.copyOf(properties);
        this.jvmOptions = List.copyOf(jvmOptions);
        this.log = directory.resolve(name + ".log");
    }

    /** Starts {@link FaultApp} with the given system properties, in a JVM with {@link #QUICK_START}'s options. */
    static AppProcess start(String name, Map<String, String> properties, Path directory) {
        return start(name, properties, QUICK_START, directory);
    }

    /** Starts {@link FaultApp} with the given system properties and JVM options. */
    static AppProcess start(String name, Map<String, String> properties, List<String> jvmOptions, Path directory) {
        AppProcess app = new AppProcess(name, properties, jvmOptions, directory);
        app.launch(Map.of());
        return app;
    }

    /** Starts the application again (after a kill or an exit), with some properties replaced. */
    synchronized AppProcess restart(Map<String, String> overrides) {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is still running");
        }
        launch(overrides);
        return this;
    }

    private synchronized void launch(Map<String, String> overrides) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        Map<String, String> effective = new java.util.TreeMap<>(properties);
        effective.putAll(overrides);
        effective.putIfAbsent("jsb.test.narayana.dir", log.resolveSibling(name + "-narayana").toString());
        effective.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-cp");
        // surefire starts the test JVM from a manifest-only jar; the real class path is in this property
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(FaultApp.class.getName());
        try {
            Files.writeString(log, "---- start " + (++starts) + ": "
                    + String.join(" ", command.subList(0, 1 + jvmOptions.size())) + " ...\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            Process started = process;
            RUNNING.add(started);
            started.onExit().thenRun(() -> RUNNING.remove(started));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** kill -9: no shut-down hook, no drain, no rollback. Waits until the process is gone. */
    synchronized void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(20));
        }
    }

    /**
     * SIGSTOP: the JVM stops at once, every thread with it, so what it has written is what it will have written when
     * it is killed next; {@link #thaw()} lets it go on. A test that must see a state before it kills uses this, since
     * a running relay can change that state between the test's look and its kill.
     */
    synchronized void freeze() {
        signal("STOP");
    }

    /** SIGCONT after {@link #freeze()}. */
    synchronized void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException(this.name + " is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot signal " + this.name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + this.name, e);
        }
    }

    /** An orderly stop (SIGTERM), then -9 if it does not end in time. Used to clean up after a fault. */
    synchronized void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The JVM's process id (of the latest start), to attribute its CPU time. */
    synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException(name + " was never started");
        }
        return process.pid();
    }

    /** Waits for the process to end by itself or after a signal; returns its exit code. */
    int awaitExit(Duration timeout) {
        Process current;
        synchronized (this) {
            current = process;
        }
        try {
            if (!current.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " did not exit within " + timeout + "; log:\n" + logTail());
            }
            return current.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + name, e);
        }
    }

    /** The whole output of every start so far. */
    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** The output since the latest start. */
    String currentLog() {
        String all = log();
        int start = all.lastIndexOf("---- start ");
        return start < 0 ? all : all.substring(start);
    }

    /** The last lines of the output, for failure messages. */
    String logTail() {
        String[] lines = log().split("\n");
        return String.join("\n", java.util.Arrays.asList(lines).subList(Math.max(0, lines.length - 60), lines.length));
    }

    String name() {
        return name;
    }

    @Override
    public String toString() {
        return name + (isAlive() ? " (pid " + process.pid() + ")" : " (not running)");
    }
}
