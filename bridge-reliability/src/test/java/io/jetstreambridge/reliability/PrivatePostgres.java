package io.jetstreambridge.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL cluster of the suite's own ({@code initdb} into {@code target/}, its own port), so that F5 can
 * really crash and restart a database without touching the machine's shared PostgreSQL that other tests use.
 * As root, the server programs run as the {@code postgres} user (PostgreSQL refuses to run as root).
 */
final class PrivatePostgres implements AutoCloseable {

    private static final Path BIN = Path.of(System.getProperty("jsb.test.postgres.bin", "/usr/lib/postgresql/15/bin"));

    private final Path dir;
    private final Path data;
    private final int port;

    private PrivatePostgres(Path dir, int port) {
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
    }

    /** initdb and start, in {@code dir} (created). */
    static PrivatePostgres start(Path dir) {
        PrivatePostgres postgres = new PrivatePostgres(dir, freePort());
        try {
            Files.createDirectories(dir);
            postgres.giveToServerUser(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        postgres.run(BIN.resolve("initdb").toString(), "-D", postgres.data.toString(), "-A", "trust", "-U",
                "postgres", "-E", "UTF8", "--no-sync");
        postgres.startServer();
        return postgres;
    }

    int port() {
        return port;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    Connection open() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", "");
    }

    /** Runs {@code ;}-separated statements, each in auto-commit. */
    void runScript(String script) {
        try (Connection connection = open(); Statement statement = connection.createStatement()) {
            for (String sql : script.split(";")) {
                if (!sql.replaceAll("(?m)^\\s*--.*$", "").isBlank()) {
                    statement.execute(sql);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("script failed on " + jdbcUrl(), e);
        }
    }

    /** Like a crash: {@code pg_ctl stop -m immediate} ends every server process without a checkpoint. */
    void crash() {
        run(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "stop", "-m", "immediate");
    }

    /** Starts the server (after a crash it recovers from its WAL first) and waits until it accepts connections. */
    void startServer() {
        run(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("postgres.log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir, "start");
    }

    @Override
    public void close() {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            run(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "stop", "-m", "fast");
        }
    }

    private void run(String... command) {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("pg_ctl.log").toFile())).start();
            if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", full) + " failed; see " + dir.resolve("pg_ctl.log")
                        + ":\n" + Files.readString(dir.resolve("pg_ctl.log")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + full, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + full, e);
        }
    }

    private void giveToServerUser(Path path) throws IOException {
        if (isRoot()) {
            Files.setOwner(path, path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
