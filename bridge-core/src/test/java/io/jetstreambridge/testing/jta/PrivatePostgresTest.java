package io.jetstreambridge.testing.jta;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

/** The private cluster takes the settings it is given, and names its postmaster (the bench's CPU split needs it). */
class PrivatePostgresTest {

    @Test
    void startsWithTheGivenSettingsAndNamesItsPostmaster() throws Exception {
        Path dir = Path.of("target", "private-postgres-" + System.currentTimeMillis()).toAbsolutePath();
        try (PrivatePostgres postgres = PrivatePostgres.start(dir, Map.of("shared_preload_libraries",
                "pg_stat_statements", "work_mem", "7MB"))) {
            try (Connection connection = postgres.open(); Statement statement = connection.createStatement()) {
                assertThat(show(statement, "work_mem")).isEqualTo("7MB");
                assertThat(show(statement, "shared_preload_libraries")).isEqualTo("pg_stat_statements");
                try (ResultSet rows = statement.executeQuery("SELECT pg_backend_pid()")) {
                    rows.next();
                    long backend = rows.getLong(1);
                    assertThat(ProcessHandle.of(backend).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
                            .contains(postgres.postmasterPid());
                }
            }
            postgres.crash();
            assertThat(postgres.postmasterPid()).isEqualTo(-1);
            postgres.startServer(); // the settings live in postgresql.conf: a restart keeps them
            try (Connection connection = postgres.open(); Statement statement = connection.createStatement()) {
                assertThat(show(statement, "work_mem")).isEqualTo("7MB");
            }
        }
    }

    /**
     * A checkout in a directory only its owner may enter ({@code mktemp -d} makes them 0700): as root, the server
     * runs as {@code postgres}, who cannot reach such a directory, so the cluster must live where it can.
     */
    @Test
    void startsForACheckoutInADirectoryOnlyItsOwnerMayEnter() throws Exception {
        Path ownerOnly = Files.createTempDirectory("jsb-owner-only-"); // 0700, as mktemp -d
        assertThat(Files.getPosixFilePermissions(ownerOnly)).doesNotContain(PosixFilePermission.OTHERS_EXECUTE);
        Path dir = ownerOnly.resolve("target").resolve("private-postgres");
        try (PrivatePostgres postgres = PrivatePostgres.start(dir)) {
            try (Connection connection = postgres.open(); Statement statement = connection.createStatement()) {
                assertThat(show(statement, "server_encoding")).isEqualTo("UTF8");
            }
            postgres.crash();
            postgres.startServer();
            try (Connection connection = postgres.open(); Statement statement = connection.createStatement()) {
                assertThat(show(statement, "server_encoding")).isEqualTo("UTF8");
            }
        }
        assertThat(dir.resolve("postgres.log")).as("the server's log, kept with the caller's directory").exists();
    }

    private static String show(Statement statement, String setting) throws Exception {
        try (ResultSet rows = statement.executeQuery("SHOW " + setting)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
