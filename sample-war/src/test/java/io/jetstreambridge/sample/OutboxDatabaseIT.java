package io.jetstreambridge.sample;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code outbox.database=auto} with no extra setting finds the database each run uses, on each server and provider:
 * Derby (or PostgreSQL with .ci/sample.sh's switch) under EclipseLink on Open Liberty, H2 or PostgreSQL under
 * Hibernate on WildFly ({@code -Dsample.wildfly.postgres}). The three applications log it at start-up (JSB5070); the
 * build passes the server's log ({@code sample.log}) and the database of the run ({@code sample.database}).
 */
class OutboxDatabaseIT {

    @BeforeAll
    static void applicationsAreUp() {
        OrderInvoiceLoopIT.awaitApplications();
    }

    @Test
    void everyApplicationDetectedTheRunsDatabase() throws IOException {
        String database = System.getProperty("sample.database");
        assertThat(database).as("system property sample.database").isNotBlank();
        String log = Files.readString(Path.of(System.getProperty("sample.log")), StandardCharsets.UTF_8);
        assertThat(log.lines().filter(line -> line.contains("JSB5070"))
                .filter(line -> line.endsWith("detected at start-up: " + database)).count())
                .as("JSB5070 lines naming %s in %s", database, System.getProperty("sample.log"))
                .isEqualTo(3);
        assertThat(log).doesNotContain("cannot tell the outbox database");
    }
}
