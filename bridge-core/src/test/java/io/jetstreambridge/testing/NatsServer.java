package io.jetstreambridge.testing;

import io.nats.client.Connection;
import io.nats.client.Options;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * One real {@code nats-server} process with JetStream enabled, bound to 127.0.0.1 on free ports.
 *
 * <p>Everything the server writes lives in one directory, by default a fresh one under
 * {@code <module>/target/nats/}: the generated {@code nats.conf}, the server log {@code server.log},
 * {@code console.log} (stdout/stderr, where config parse errors end up) and the JetStream data under
 * {@code jetstream/}. {@link #restart()} reuses the same ports and directory, so persisted streams survive
 * {@link #stop()} and {@link #kill()}.
 *
 * <pre>{@code
 * try (NatsServer nats = NatsServer.builder()
 *         .extraConfig("authorization { users = [ {user: admin, password: secret} ] }")
 *         .credentials("admin", "secret")
 *         .start();
 *      Connection connection = nats.connect()) {
 *     ...
 * }
 * }</pre>
 *
 * <p>Missing binary: {@link #start()} throws {@link NatsServerNotFoundException}; see {@link Builder#binary}.
 * Instances are thread-safe; the lifecycle methods are serialised.
 */
public final class NatsServer implements NatsFixture {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
    private static final int LOG_LINES_IN_ERRORS = 40;

    private final String serverName;
    private final int port;
    private final int monitorPort;
    private final Path storeDir;
    private final Path configFile;
    private final Path logFile;
    private final Path consoleFile;
    private final Path binary;
    private final Duration startupTimeout;
    private final Credentials credentials;
    private final HealthProbe health;

    private Process process;

    private NatsServer(Builder builder, Path storeDir, int port, int monitorPort) {
        this.serverName = builder.serverName;
        this.port = port;
        this.monitorPort = monitorPort;
        this.storeDir = storeDir;
        this.configFile = storeDir.resolve("nats.conf");
        this.logFile = storeDir.resolve("server.log");
        this.consoleFile = storeDir.resolve("console.log");
        this.binary = builder.binary;
        this.startupTimeout = builder.startupTimeout;
        this.credentials = builder.credentials;
        this.health = new HealthProbe(port, monitorUrl());
    }

    /** A builder with the defaults: JetStream on, free ports, a fresh directory under {@code target/nats}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Launches the process and blocks until the client port accepts connections and {@code /healthz}
     * reports JetStream ready.
     *
     * @return this, for chaining
     * @throws NatsServerNotFoundException if there is no nats-server binary
     * @throws NatsFixtureException        if the server exits or is not ready within the startup timeout;
     *                                     the message carries the tail of the server log
     * @throws IllegalStateException       if it is already running
     */
    public synchronized NatsServer start() {
        launch();
        awaitReady();
        return this;
    }

    /** Starts the process without waiting; {@link NatsCluster} launches all nodes before waiting for any. */
    synchronized void launch() {
        if (isRunning()) {
            throw new IllegalStateException(this + " is already running");
        }
        Path executable = NatsServerBinary.resolve(binary);
        ProcessBuilder command = new ProcessBuilder(executable.toString(), "-c", configFile.toString())
                .directory(storeDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(consoleFile.toFile()));
        try {
            process = command.start();
        } catch (IOException e) {
            throw new NatsFixtureException("could not launch " + executable + " for " + this, e);
        }
        ProcessReaper.register(process);
    }

    /** Blocks until ready; on failure the process is killed so that it cannot leak. */
    void awaitReady() {
        Process launched;
        synchronized (this) {
            launched = process;
        }
        try {
            Poller.await(startupTimeout, this + " to become ready", () -> {
                if (!launched.isAlive()) {
                    throw new NatsFixtureException(this + " exited during start-up with code "
                            + launched.exitValue() + ".\n" + diagnostics());
                }
                return health.isReady();
            }, this::diagnostics);
        } catch (RuntimeException e) {
            try {
                destroyForcibly(launched);
            } catch (RuntimeException notDead) {
                e.addSuppressed(notDead);
            }
            throw e;
        }
    }

    /**
     * Stops the server gracefully (SIGTERM, so JetStream flushes and closes its files) and waits for the
     * process to exit; falls back to SIGKILL if it does not exit in time. Does nothing if not running.
     */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!awaitExit(process, STOP_TIMEOUT)) {
            destroyForcibly(process);
        }
        ProcessReaper.unregister(process);
    }

    /**
     * Kills the server with SIGKILL, like a crash or an OOM kill, and waits for the process to be gone.
     * Data acknowledged to publishers must survive this; that is what the method exists to test.
     */
    public synchronized void kill() {
        if (process != null) {
            destroyForcibly(process);
        }
    }

    /** Stops the server if it runs, then starts it again on the same ports with the same store directory. */
    public synchronized NatsServer restart() {
        stop();
        return start();
    }

    /** Restarts the server if it was stopped or killed; does nothing while it runs. */
    @Override
    public synchronized void restartStopped() {
        if (!isRunning()) {
            restart();
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The server process's id while it runs (to attribute its CPU time, {@link ProcCpu}). */
    public synchronized OptionalLong pid() {
        return isRunning() ? OptionalLong.of(process.pid()) : OptionalLong.empty();
    }

    /** Client URL, {@code nats://127.0.0.1:<port>}; stable across restarts. */
    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Base URL of the HTTP monitoring endpoint, e.g. {@code http://127.0.0.1:8222}; add {@code /jsz}, {@code /varz}... */
    public String monitorUrl() {
        return "http://127.0.0.1:" + monitorPort;
    }

    public int monitorPort() {
        return monitorPort;
    }

    /** The server's own directory; JetStream data lives in its {@code jetstream/} subdirectory. */
    public Path storeDir() {
        return storeDir;
    }

    public Path logFile() {
        return logFile;
    }

    public Path configFile() {
        return configFile;
    }

    /** The configured {@code server_name}; JetStream reports stream leaders by this name. */
    public Optional<String> serverName() {
        return Optional.ofNullable(serverName);
    }

    /** The last lines of the server log, handy in assertion messages. */
    public String logTail(int lines) {
        return FixtureFiles.tail(logFile, lines);
    }

    /**
     * Connection options pointing at this server, with the {@link Builder#credentials credentials} if set
     * and reconnect settings that let a connection ride through {@link #kill()} and {@link #restart()}.
     */
    @Override
    public Options.Builder connectionOptions() {
        return ConnectionDefaults.options(List.of(url()), credentials);
    }

    /** Opens a connection with {@link #connectionOptions()}; the caller closes it. */
    @Override
    public Connection connect() {
        return ConnectionDefaults.connect(connectionOptions().build());
    }

    /** Stops the server (killing it if it will not stop) and deletes its directory. */
    @Override
    public synchronized void close() {
        stop();
        FixtureFiles.deleteRecursively(storeDir);
    }

    @Override
    public String toString() {
        return "nats-server[" + (serverName == null ? "" : serverName + " ") + url() + ", " + storeDir + "]";
    }

    private String diagnostics() {
        return "Last health check: " + health.lastAnswer()
                + "\n--- last lines of " + logFile + " ---\n" + FixtureFiles.tail(logFile, LOG_LINES_IN_ERRORS)
                + "\n--- last lines of " + consoleFile + " ---\n" + FixtureFiles.tail(consoleFile, LOG_LINES_IN_ERRORS);
    }

    private void destroyForcibly(Process target) {
        target.destroyForcibly();
        if (!awaitExit(target, KILL_TIMEOUT)) {
            throw new NatsFixtureException(this + " (pid " + target.pid() + ") survived SIGKILL for " + KILL_TIMEOUT);
        }
        ProcessReaper.unregister(target);
    }

    private boolean awaitExit(Process target, Duration timeout) {
        try {
            return target.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // do not leave a half-stopped server behind just because the test thread was interrupted
            target.destroyForcibly();
            throw new NatsFixtureException("Interrupted while waiting for " + this + " to exit", e);
        }
    }

    /** Username and password the fixture uses whenever it connects on the test's behalf. */
    record Credentials(String user, String password) {
    }

    /**
     * Options of a {@link NatsServer}. Every setter is optional; the ones a cluster shares are in
     * {@link AbstractNatsBuilder}.
     */
    public static final class Builder extends AbstractNatsBuilder<Builder> {

        private String serverName;
        private int port;
        private int monitorPort;
        private Path directory;
        private ServerConfigFile.ClusterBlock cluster;

        private Builder() {
            super(Duration.ofSeconds(30));
        }

        @Override
        Builder self() {
            return this;
        }

        /** {@code server_name}; JetStream identifies stream leaders and peers by it. */
        public Builder serverName(String serverName) {
            this.serverName = Objects.requireNonNull(serverName, "serverName");
            return this;
        }

        /** Client port; by default a free one is picked. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** HTTP monitoring port; by default a free one is picked. */
        public Builder monitorPort(int monitorPort) {
            this.monitorPort = monitorPort;
            return this;
        }

        /** Uses exactly this directory (created if missing) instead of a fresh one. {@link #close()} deletes it. */
        public Builder directory(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * Makes the server a node of a JetStream cluster.
         *
         * @param routePorts cluster ports of the other nodes ({@link NatsCluster} does all this for you)
         */
        public Builder cluster(String name, int clusterPort, List<Integer> routePorts) {
            this.cluster = new ServerConfigFile.ClusterBlock(
                    Objects.requireNonNull(name, "name"), clusterPort, List.copyOf(routePorts));
            return this;
        }

        /** Creates the directory and writes the config file; does not start the process. */
        public NatsServer build() {
            Path dir = directory != null
                    ? directory.toAbsolutePath()
                    : createUniqueDirectory(serverName != null ? serverName : "nats");
            FixtureFiles.createDirectories(dir);
            int[] free = FreePorts.allocate((port == 0 ? 1 : 0) + (monitorPort == 0 ? 1 : 0));
            int clientPort = port != 0 ? port : free[0];
            int httpPort = monitorPort != 0 ? monitorPort : free[free.length - 1];
            NatsServer server = new NatsServer(this, dir, clientPort, httpPort);
            ServerConfigFile config = new ServerConfigFile(serverName, server.port, server.monitorPort, dir,
                    server.logFile, String.join("\n", jetStreamConfig), cluster, String.join("\n", extraConfig));
            FixtureFiles.write(server.configFile, config.render());
            return server;
        }

        /** {@link #build()} and {@link NatsServer#start()} in one go. */
        public NatsServer start() {
            return build().start();
        }
    }
}
