package io.jetstreambridge.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetstreambridge.testing.NatsServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The shaded jar as an operator runs it, {@code java -jar jetstream-bridge-admin.jar ...} in a process of its own
 * with a real environment: the exit codes, and that the shading kept what SmallRye Config and jnats load at run
 * time (service files, the nkey crypto).
 */
class AdminJarIT {

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    @TempDir
    Path dir;

    private record Result(int exitCode, String out, String err) {
    }

    private Result run(Map<String, String> environment, String... args) throws Exception {
        Path jar = Path.of(System.getProperty("jsb.admin.jar"));
        assertThat(jar).as("the shaded jar; run through mvn verify").isRegularFile();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("JETSTREAM_BRIDGE_") || name.startsWith("NATS_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the command ended").isTrue();
        return new Result(process.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    private Path config(String urls) throws IOException {
        return Files.writeString(dir.resolve("app.properties"), """
                jetstream.bridge.app-name=orders
                jetstream.bridge.destination-app=billing
                jetstream.bridge.nats.urls=%s
                """.formatted(urls));
    }

    @Test
    void provisionsAndReportsHealthAgainstARealServer() throws Exception {
        NATS.cleanJetStream();
        Path config = config(NATS.url());

        Result provision = run(Map.of(), "provision", "--config", config.toString());
        Result health = run(Map.of(), "health", "--config", config.toString());

        assertThat(provision.exitCode()).as(provision.toString()).isZero();
        assertThat(provision.out()).contains("created");
        assertThat(health.exitCode()).as(health.toString()).isZero();
        assertThat(health.out()).startsWith("UP").containsPattern("consumer-pending +0");
    }

    @Test
    void invalidSettingsFromTheEnvironmentExitWithTwo() throws Exception {
        Result result = run(Map.of("JETSTREAM_BRIDGE_CONSUMER_MAX_DELIVER", "0",
                "JETSTREAM_BRIDGE_NATS_NKEY_SEED", "SUtooshort"), "validate", "-c", config(NATS.url()).toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.out()).contains("(2 problems)")
                .contains("jetstream.bridge.consumer.max-deliver = '0'")
                .contains("jetstream.bridge.nats.nkey-seed = '******': must be a user nkey seed")
                .doesNotContain("SUtooshort");
    }

    @Test
    void anUnreachableServerExitsWithThree() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        Result result = run(Map.of(), "test-connection", "-c", config("nats://127.0.0.1:" + closedPort).toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        assertThat(result.err()).contains("cannot connect").contains("127.0.0.1:" + closedPort);
    }

    @Test
    void versionAndUsage() throws Exception {
        Result version = run(Map.of(), "--version");
        Result usage = run(Map.of(), "provision", "--unknown");

        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("jetstream-bridge-admin 0.");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.err()).contains("Unknown option: '--unknown'");
    }

    @Test
    void outboxCommandsWorkOnTheApplicationsDatabaseFromTheShadedJar() throws Exception {
        try (io.jetstreambridge.testing.jta.TestDatabase database =
                     io.jetstreambridge.testing.jta.TestDatabase.postgres("jar_outbox")) {
            database.runScriptResource("db/jetstream-bridge/postgresql/V2__jetstream_bridge_outbox.sql");
            database.execute("INSERT INTO jetstream_bridge_outbox_events (event_id, event_type, subject, payload, "
                    + "status, attempts, last_error, created_at, next_attempt_at) VALUES ('e-1', 'order.created', "
                    + "'orders.sync.billing', '{}', 'failed', 5, 'bad request', now() AT TIME ZONE 'UTC', "
                    + "now() AT TIME ZONE 'UTC')");
            Map<String, String> environment = new java.util.HashMap<>(Map.of(
                    DatabaseOptions.URL_VARIABLE, database.jdbcUrl(), DatabaseOptions.USER_VARIABLE, database.user()));
            if (database.password() != null) {
                environment.put(DatabaseOptions.PASSWORD_VARIABLE, database.password());
            }

            Result failed = run(environment, "outbox", "failed");
            Result retry = run(environment, "outbox", "retry", "--all");

            assertThat(failed.exitCode()).as(failed.toString()).isZero();
            assertThat(failed.out()).contains("1 failed row shown").contains("e-1").contains("bad request");
            assertThat(retry.exitCode()).as(retry.toString()).isZero();
            assertThat(retry.out()).contains("1 failed row put back to pending");
            assertThat(database.queryForLong("SELECT COUNT(*) FROM jetstream_bridge_outbox_events "
                    + "WHERE status = 'pending'")).isEqualTo(1);
        }
    }
}
