package io.jetstreambridge.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A missing nats-server must fail tests with instructions, never skip them. */
class NatsServerBinaryTest {

    private static final Path MISSING = Path.of("/nonexistent/bin/nats-server");

    @TempDir
    Path temp;

    @Test
    void startWithMissingBinaryFailsWithInstallInstructions() {
        try (NatsServer server = NatsServer.builder().binary(MISSING).build()) {
            assertThatThrownBy(server::start)
                    .isInstanceOf(NatsServerNotFoundException.class)
                    .hasMessageContaining("nats-server was not found")
                    .hasMessageContaining("apt-get install -y nats-server")
                    .hasMessageContaining("NATS_SERVER_BIN")
                    .hasMessageContaining(MISSING.toString());
            assertThat(server.isRunning()).isFalse();
        }
    }

    @Test
    void clusterWithMissingBinaryFailsTheSameWay() {
        try (NatsCluster cluster = NatsCluster.builder().binary(MISSING).build()) {
            assertThatThrownBy(cluster::start)
                    .isInstanceOf(NatsServerNotFoundException.class)
                    .hasMessageContaining("apt-get install -y nats-server");
        }
    }

    @Test
    void nothingOnPathOrInWellKnownPlacesIsAnError() {
        Map<String, String> env = Map.of("PATH", temp.toString());

        assertThatThrownBy(() -> NatsServerBinary.resolve(null, env, List.of(MISSING)))
                .isInstanceOf(NatsServerNotFoundException.class)
                .hasMessageStartingWith("nats-server was not found")
                .hasMessageContaining(temp.resolve("nats-server").toString())
                .hasMessageContaining(MISSING.toString())
                .hasMessageEndingWith(NatsServerNotFoundException.INSTALL_HINT);
    }

    @Test
    void environmentVariablePointingNowhereIsAnErrorNotAFallback() throws Exception {
        Path onPath = executable(temp.resolve("nats-server"));
        Map<String, String> env = Map.of("NATS_SERVER_BIN", MISSING.toString(), "PATH", temp.toString());

        assertThatThrownBy(() -> NatsServerBinary.resolve(null, env, List.of()))
                .isInstanceOf(NatsServerNotFoundException.class)
                .hasMessageContaining("NATS_SERVER_BIN environment variable")
                .hasMessageContaining(MISSING.toString());
        assertThat(NatsServerBinary.resolve(null, Map.of("PATH", temp.toString()), List.of())).isEqualTo(onPath);
    }

    @Test
    void lookupOrderIsEnvironmentThenPathThenWellKnownPlaces() throws Exception {
        Path fromEnv = executable(Files.createDirectory(temp.resolve("env")).resolve("custom-nats"));
        Path onPath = executable(Files.createDirectory(temp.resolve("path")).resolve("nats-server"));
        Path wellKnown = executable(Files.createDirectory(temp.resolve("sbin")).resolve("nats-server"));
        String path = onPath.getParent().toString();

        assertThat(NatsServerBinary.resolve(null,
                Map.of("NATS_SERVER_BIN", fromEnv.toString(), "PATH", path), List.of(wellKnown))).isEqualTo(fromEnv);
        assertThat(NatsServerBinary.resolve(null, Map.of("PATH", path), List.of(wellKnown))).isEqualTo(onPath);
        assertThat(NatsServerBinary.resolve(null, Map.of(), List.of(MISSING, wellKnown))).isEqualTo(wellKnown);
    }

    private static Path executable(Path file) throws Exception {
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
