package io.jetstreambridge.sample;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.awaitility.Awaitility.await;

/**
 * The nats-server the build started before the application server ({@code src/test/nats/start-nats.sh}), for tests
 * that stop, kill and restart it: the very same server, on the same port with the same store, so the stream, the
 * durable consumers and the duplicate window survive, as in a real restart. Whatever starts the application server
 * (Liberty, or WildFly in its profile) passes, as system properties:
 *
 * <ul>
 *   <li>{@code nats.port}: the client port;</li>
 *   <li>{@code nats.store.dir}: the directory start-nats.sh was given; the server stores under {@code store/},
 *       writes its pid to {@code nats.pid} and its log to {@code nats.log} there (the script's layout);</li>
 *   <li>{@code nats.server.binary}: the binary, a path or a name looked up on the {@code PATH} and in
 *       {@code /usr/sbin}, as the script does.</li>
 * </ul>
 *
 * <p>A restarted server is started with the script's arguments and writes the same pid file, so the build's
 * {@code stop-nats.sh} stops it at the end whoever started it.
 */
final class BuildNatsServer {

    private static final Duration PROCESS_WAIT = Duration.ofSeconds(30);
    private static final List<Path> WELL_KNOWN = List.of(Path.of("/usr/sbin"), Path.of("/usr/local/bin"));

    private final int port;
    private final Path dir;
    private final String binary;

    BuildNatsServer(int port, Path dir, String binary) {
        this.port = port;
        this.dir = dir;
        this.binary = binary;
    }

    /** From the system properties above; a missing one fails the test with what to pass. */
    static BuildNatsServer fromSystemProperties() {
        return new BuildNatsServer(Integer.parseInt(required("nats.port")), Path.of(required("nats.store.dir")),
                required("nats.server.binary"));
    }

    int port() {
        return port;
    }

    /** Accepts connections on its port. */
    boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the server as an operator would (SIGTERM) and waits until it is gone. */
    void stop() {
        ProcessHandle server = running().orElseThrow(() -> notRunning("stop"));
        server.destroy();
        awaitGone(server);
    }

    /** Kills the server with SIGKILL, like a crash or an OOM kill, and waits until it is gone. */
    void kill() {
        ProcessHandle server = running().orElseThrow(() -> notRunning("kill"));
        server.destroyForcibly();
        awaitGone(server);
    }

    /** Starts the server again with the build's arguments (same port, same store) and waits until it listens. */
    void start() {
        if (running().isPresent()) {
            throw new IllegalStateException("nats-server is already running on port " + port);
        }
        List<String> command = new ArrayList<>(List.of(executable(), "-a", "127.0.0.1", "-p", String.valueOf(port),
                "-js", "-sd", dir.resolve("store").toString(), "-P", pidFile().toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(new File("/dev/null"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("nats.log").toFile()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
        await("nats-server listening on " + port).atMost(PROCESS_WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("nats-server exited with " + process.exitValue()
                                + "; see " + dir.resolve("nats.log"));
                    }
                    return listening() && running().isPresent();
                });
    }

    /** Starts the server when a test left it stopped; does nothing while it runs. */
    void ensureRunning() {
        if (running().isEmpty()) {
            start();
        }
    }

    /** The server process named in the pid file, if it is alive and not a zombie. */
    Optional<ProcessHandle> running() {
        Path pidFile = pidFile();
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            String pid = Files.readString(pidFile).strip();
            if (pid.isEmpty()) {
                return Optional.empty();
            }
            return ProcessHandle.of(Long.parseLong(pid)).filter(BuildNatsServer::alive);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pidFile, e);
        }
    }

    private void awaitGone(ProcessHandle server) {
        await("nats-server " + server.pid() + " gone and port " + port + " free").atMost(PROCESS_WAIT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !alive(server) && !listening());
    }

    /** Alive and not a zombie (a killed process that its parent has not reaped yet is gone for our purpose). */
    private static boolean alive(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        Path stat = Path.of("/proc", String.valueOf(process.pid()), "stat");
        try {
            String line = Files.readString(stat);
            // pid (comm) state ...: the state follows the closing parenthesis
            return line.charAt(line.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return process.isAlive();
        }
    }

    private Path pidFile() {
        return dir.resolve("nats.pid");
    }

    private String executable() {
        if (binary.contains(File.separator)) {
            return binary;
        }
        List<Path> places = new ArrayList<>();
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                places.add(Path.of(entry));
            }
        }
        places.addAll(WELL_KNOWN);
        return places.stream().map(place -> place.resolve(binary))
                .filter(Files::isExecutable)
                .findFirst()
                .map(Path::toString)
                .orElseThrow(() -> new IllegalStateException(binary + " is not on the PATH nor in " + WELL_KNOWN
                        + ": install it (Debian: apt-get install -y nats-server)"));
    }

    private IllegalStateException notRunning(String action) {
        return new IllegalStateException("cannot " + action + " nats-server: no live process in " + pidFile()
                + " (start-nats.sh writes it; is nats.store.dir the directory the build gave the script?)");
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set: the build passes it to "
                    + "failsafe (systemPropertyVariables) for the tests that stop and restart nats-server");
        }
        return value;
    }

    @Override
    public String toString() {
        return "nats-server on 127.0.0.1:" + port + " (store " + dir.resolve("store") + ")";
    }
}
