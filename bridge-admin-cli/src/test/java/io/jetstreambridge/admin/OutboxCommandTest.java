package io.jetstreambridge.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetstreambridge.testing.jta.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/** The {@code outbox} commands, in-process, against a real PostgreSQL holding the shipped outbox table. */
class OutboxCommandTest {

    private static TestDatabase database;

    @BeforeAll
    static void createTable() {
        database = TestDatabase.postgres("cli_outbox");
        database.runScriptResource("db/jetstream-bridge/postgresql/V2__jetstream_bridge_outbox.sql");
    }

    @AfterAll
    static void dropTable() {
        database.close();
    }

    @BeforeEach
    void clean() {
        database.execute("DELETE FROM jetstream_bridge_outbox_events");
    }

    /** The database from the environment, as an operator's job would pass it (the password only there). */
    private static Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>();
        environment.put(DatabaseOptions.URL_VARIABLE, database.jdbcUrl());
        environment.put(DatabaseOptions.USER_VARIABLE, database.user());
        if (database.password() != null) {
            environment.put(DatabaseOptions.PASSWORD_VARIABLE, database.password());
        }
        return environment;
    }

    private static CliRun outbox(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "outbox";
        System.arraycopy(args, 0, all, 1, args.length);
        return CliRun.of(environment(), all);
    }

    private static void row(String eventId, String eventType, String status, Duration age) {
        Timestamp created = Timestamp.valueOf(Instant.now().minus(age).atOffset(ZoneOffset.UTC).toLocalDateTime());
        database.execute("INSERT INTO jetstream_bridge_outbox_events (event_id, event_type, resource_type, "
                + "resource_id, subject, payload, status, attempts, last_error, created_at, next_attempt_at) "
                + "VALUES (?, ?, 'order', ?, 'orders.sync.billing', '{}', ?, ?, ?, ?, ?)", eventId, eventType,
                eventId, status, "failed".equals(status) ? 5 : 0, "failed".equals(status) ? "bad request [10003]"
                : null, created, created);
    }

    private static String status(String eventId) {
        return database.queryForLong("SELECT COUNT(*) FROM jetstream_bridge_outbox_events WHERE event_id = ? "
                + "AND status = 'pending' AND attempts = 0", eventId) == 1 ? "pending"
                : database.queryForLong("SELECT COUNT(*) FROM jetstream_bridge_outbox_events WHERE event_id = ? "
                + "AND status = 'failed'", eventId) == 1 ? "failed" : "gone";
    }

    @Test
    void backlogCountsPendingAndFailedRows() {
        row("p-1", "order.created", "pending", Duration.ofMinutes(3));
        row("f-1", "order.created", "failed", Duration.ofMinutes(2));

        CliRun run = outbox("backlog");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).containsPattern("pending\\s+1").containsPattern("failed\\s+1")
                .contains("oldest-pending");
    }

    @Test
    void failedListsTheFailedRowsWithTheirLastErrorAndFilters() {
        row("f-1", "order.created", "failed", Duration.ofHours(2));
        row("f-2", "invoice.created", "failed", Duration.ofMinutes(1));
        row("p-1", "order.created", "pending", Duration.ofHours(2));

        CliRun all = outbox("failed");
        assertThat(all.exitCode()).as(all.toString()).isZero();
        assertThat(all.out()).contains("2 failed rows shown").contains("f-1").contains("f-2")
                .contains("bad request [10003]").doesNotContain("p-1");

        CliRun old = outbox("failed", "--older-than", "1h");
        assertThat(old.out()).contains("1 failed row shown").contains("f-1").doesNotContain("f-2");
        CliRun invoices = outbox("failed", "--event-type", "invoice.created");
        assertThat(invoices.out()).contains("f-2").doesNotContain("f-1");
    }

    @Test
    void retryByIdPutsOneRowBackAndSaysWhichWereNotFailed() {
        row("f-1", "order.created", "failed", Duration.ofMinutes(5));
        row("f-2", "order.created", "failed", Duration.ofMinutes(5));

        CliRun run = outbox("retry", "f-1", "no-such-event");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(AdminExit.CHECK_FAILED);
        assertThat(run.out()).contains("retried f-1").contains("1 of 2 retried");
        assertThat(run.err()).contains("not retried no-such-event: no failed outbox row has this event id");
        assertThat(status("f-1")).isEqualTo("pending");
        assertThat(status("f-2")).isEqualTo("failed");
    }

    @Test
    void bulkRetryByEventTypeAndAgeThenAllInBatches() {
        row("old-order", "order.created", "failed", Duration.ofHours(3));
        row("new-order", "order.created", "failed", Duration.ofMinutes(1));
        row("old-invoice", "invoice.created", "failed", Duration.ofHours(3));

        CliRun oldOrders = outbox("retry", "--event-type", "order.created", "--older-than", "2h");
        assertThat(oldOrders.exitCode()).as(oldOrders.toString()).isZero();
        assertThat(oldOrders.out()).contains("1 failed row put back to pending");
        assertThat(status("old-order")).isEqualTo("pending");
        assertThat(status("new-order")).isEqualTo("failed");
        assertThat(status("old-invoice")).isEqualTo("failed");

        // more rows than one batch: every one is put back, each batch committed on its own
        database.execute("INSERT INTO jetstream_bridge_outbox_events (event_id, event_type, subject, payload, "
                + "status, attempts, created_at, next_attempt_at) SELECT 'bulk-' || g, 'order.updated', "
                + "'orders.sync.billing', '{}', 'failed', 5, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC' FROM generate_series(1, 1234) g");
        CliRun all = outbox("retry", "--all");
        assertThat(all.exitCode()).as(all.toString()).isZero();
        assertThat(all.out()).contains("1236 failed rows put back to pending");
        assertThat(database.queryForLong("SELECT COUNT(*) FROM jetstream_bridge_outbox_events WHERE status = "
                + "'failed'")).isZero();
    }

    @Test
    void discardDeletesOnlyFailedRows() {
        row("f-1", "order.created", "failed", Duration.ofMinutes(5));
        row("p-1", "order.created", "pending", Duration.ofMinutes(5));

        CliRun run = outbox("discard", "f-1", "p-1");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(AdminExit.CHECK_FAILED);
        assertThat(run.out()).contains("discarded f-1").contains("1 of 2 discarded");
        assertThat(run.err()).contains("not discarded p-1");
        assertThat(status("f-1")).isEqualTo("gone");
        assertThat(status("p-1")).isEqualTo("pending");
    }

    @Test
    void misuseIsAUsageErrorAndAnUnreachableDatabaseExitsThree() {
        assertThat(outbox("retry").exitCode()).isEqualTo(AdminExit.USAGE);
        assertThat(outbox("retry", "--all", "f-1").exitCode()).isEqualTo(AdminExit.USAGE);
        CliRun badAge = outbox("retry", "--older-than", "soon");
        assertThat(badAge.exitCode()).isEqualTo(AdminExit.USAGE);
        assertThat(badAge.err()).contains("--older-than");
        CliRun noDatabase = CliRun.of(Map.of(), "outbox", "backlog");
        assertThat(noDatabase.exitCode()).isEqualTo(AdminExit.USAGE);
        assertThat(noDatabase.err()).contains("--jdbc-url").contains(DatabaseOptions.PASSWORD_VARIABLE);

        CliRun unreachable = CliRun.of(Map.of(DatabaseOptions.PASSWORD_VARIABLE, "s3cret"), "outbox", "backlog",
                "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/test?connectTimeout=2", "--jdbc-user", "nobody");
        assertThat(unreachable.exitCode()).as(unreachable.toString()).isEqualTo(AdminExit.CANNOT_CONNECT);
        assertThat(unreachable.err()).contains("cannot connect to the database").doesNotContain("s3cret");
    }
}
