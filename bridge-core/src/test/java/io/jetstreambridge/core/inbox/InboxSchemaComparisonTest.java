package io.jetstreambridge.core.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jetstreambridge.core.inbox.SchemaConformance.DatabaseTable;
import io.jetstreambridge.core.inbox.SchemaConformance.MappedTable;
import io.jetstreambridge.testing.jta.TestDatabase;
import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.Table;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The comparison behind {@link AbstractInboxSchemaTest} can fail: a script that drifted from the entity, and an
 * entity that drifted from the shipped script, are reported difference by difference (on in-memory H2).
 */
class InboxSchemaComparisonTest {

    private static final MappedTable INBOX = SchemaConformance.mapped(InboxEvent.class);

    @Test
    void theEntityMappingIsReadFromItsAnnotations() {
        assertThat(INBOX.name()).isEqualTo("jetstream_bridge_inbox_events");
        assertThat(INBOX.columns()).hasSize(16);
        assertThat(INBOX.column("event_id").id()).isTrue();
        assertThat(INBOX.column("event_id").nullable()).isFalse();
        assertThat(INBOX.column("status").length()).isEqualTo(32);
        assertThat(INBOX.column("last_error").length()).isEqualTo(4000);
        assertThat(INBOX.column("last_error").nullable()).isTrue();
        assertThat(INBOX.column("stream_seq").javaType()).isEqualTo(long.class);
        assertThat(INBOX.column("received_at").javaType()).isEqualTo(LocalDateTime.class);
        assertThat(INBOX.column("received_at").nullable()).isFalse();
    }

    @Test
    void theStoreNeverWritesMoreErrorTextThanTheColumnHolds() {
        assertThat(InboxStore.MAX_ERROR_LENGTH).as("InboxStore.MAX_ERROR_LENGTH against @Column(length) of last_error")
                .isLessThanOrEqualTo(INBOX.column("last_error").length());
    }

    @Test
    void aScriptThatDriftedFromTheEntityIsReportedDifferenceByDifference() throws SQLException {
        DatabaseTable drifted = create("""
                CREATE TABLE jetstream_bridge_inbox_events (
                    event_id      VARCHAR(255)  NOT NULL,
                    event_type    VARCHAR(255),
                    resource_type VARCHAR(255),
                    resource_id   VARCHAR(255),
                    subject       VARCHAR(255),
                    stream        VARCHAR(255),
                    stream_seq    BIGINT,
                    deliveries    BIGINT        NOT NULL DEFAULT 0,
                    status        CHAR(32)      NOT NULL,
                    attempts      SMALLINT      NOT NULL DEFAULT 0,
                    last_error    VARCHAR(2000),
                    received_at   TIMESTAMP(0)  NOT NULL,
                    processed_at  TIMESTAMP,
                    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
                    updated_at    TIMESTAMP     NOT NULL,
                    legacy_flag   BOOLEAN
                )""");

        assertThat(SchemaConformance.columnNameDifferences(INBOX, drifted)).containsExactlyInAnyOrder(
                "column failed_at (InboxEvent.failedAt) is missing from the table",
                "column LEGACY_FLAG BOOLEAN(1) NULL [java.sql.Types 16] is in the table but InboxEvent maps no such "
                        + "column");
        assertThat(SchemaConformance.nullabilityDifferences(INBOX, drifted)).containsExactly(
                "column event_type is NULL in the table but not nullable in InboxEvent.eventType "
                        + "(@Column(nullable = false))");
        assertThat(SchemaConformance.primaryKeyDifferences(INBOX, drifted)).containsExactly(
                "the primary key is missing but InboxEvent's @Id maps [event_id]");
        List<String> types = SchemaConformance.typeDifferences(INBOX, drifted, false);
        assertThat(types).hasSize(5);
        assertThat(types.get(0)).startsWith("column status is CHARACTER(32) NOT NULL").endsWith("expected a VARCHAR");
        assertThat(types.get(1)).startsWith("column attempts is SMALLINT")
                .endsWith("expected an INTEGER (or BIGINT)");
        assertThat(types.get(2)).startsWith("column last_error is CHARACTER VARYING(2000) NULL")
                .endsWith("String of length 4000: expected VARCHAR(4000) as @Column(length) says");
        assertThat(types.get(3)).startsWith("column received_at is TIMESTAMP")
                .endsWith("expected at least microsecond precision (0 fractional digits)");
        assertThat(types.get(4)).startsWith("column created_at is TIMESTAMP WITH TIME ZONE")
                .endsWith("expected a TIMESTAMP without time zone (the entity stores UTC wall-clock time)");
        assertThat(SchemaConformance.report("the columns", types)).startsWith("the columns differs:\n  - column ");
    }

    @Test
    void anEntityThatDriftedFromTheShippedScriptIsReported() throws SQLException {
        DatabaseTable shipped = create(io.jetstreambridge.testing.jta.SqlScript.readResource(
                "db/jetstream-bridge/h2/V1__jetstream_bridge_inbox.sql"));
        MappedTable drifted = SchemaConformance.mapped(DriftedInboxEvent.class);

        List<String> differences = new ArrayList<>();
        differences.addAll(SchemaConformance.columnNameDifferences(drifted, shipped));
        differences.addAll(SchemaConformance.nullabilityDifferences(drifted, shipped));
        differences.addAll(SchemaConformance.typeDifferences(drifted, shipped, false));

        assertThat(differences).contains(
                "column tenant (DriftedInboxEvent.tenant) is missing from the table",
                "column subject is NULL in the table but not nullable in DriftedInboxEvent.subject "
                        + "(@Column(nullable = false))")
                .anyMatch(d -> d.startsWith("column EVENT_TYPE ") && d.endsWith("maps no such column"))
                .anyMatch(d -> d.startsWith("column event_id is CHARACTER VARYING(255) NOT NULL")
                        && d.endsWith("String of length 128: expected VARCHAR(128) as @Column(length) says"));
    }

    @Test
    void mappingAnnotationsTheReaderDoesNotKnowAreNotIgnored() {
        assertThatThrownBy(() -> SchemaConformance.mapped(LobEntity.class))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("LobEntity.body has @jakarta.persistence.Lob");
    }

    private static DatabaseTable create(String script) throws SQLException {
        try (TestDatabase database = TestDatabase.h2("comparison")) {
            database.runScript(script);
            try (Connection connection = database.openConnection()) {
                return SchemaConformance.read(connection, null, database.schema(), INBOX.name());
            }
        }
    }

    /** InboxEvent after a change that the scripts did not follow (not an @Entity: nothing should deploy it). */
    @Table(name = "jetstream_bridge_inbox_events")
    static class DriftedInboxEvent {
        @Id
        @Column(name = "event_id", length = 128)
        private String eventId;

        @Column(name = "subject", length = 255, nullable = false)
        private String subject;

        @Column(name = "tenant", length = 64)
        private String tenant;
    }

    static class LobEntity {
        @Id
        private String id;

        @Lob
        private String body;
    }
}
