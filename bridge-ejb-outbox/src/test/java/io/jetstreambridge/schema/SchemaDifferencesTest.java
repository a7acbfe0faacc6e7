package io.jetstreambridge.schema;

import io.jetstreambridge.core.outbox.OutboxEvent;
import io.jetstreambridge.schema.MappedEntities.MappedTable;
import io.jetstreambridge.testing.jta.TestDatabase;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The comparison behind {@link AbstractFlywaySchemaTest} can fail: an outbox table that drifted from the entity
 * (on in-memory H2) is reported difference by difference.
 */
class SchemaDifferencesTest {

    @Test
    void aTableThatDriftedFromTheEntityIsReportedDifferenceByDifference() throws Exception {
        try (TestDatabase database = TestDatabase.h2("drift")) {
            database.runScript("""
                    CREATE TABLE jetstream_bridge_outbox_events (
                        id              BIGINT        NOT NULL PRIMARY KEY,
                        event_id        VARCHAR(255)  NOT NULL,
                        event_type      VARCHAR(255),
                        resource_type   VARCHAR(100),
                        resource_id     VARCHAR(255),
                        subject         VARCHAR(255)  NOT NULL,
                        payload         VARCHAR(4000) NOT NULL,
                        headers         VARCHAR(4000),
                        status          VARCHAR(32)   NOT NULL DEFAULT 'pending',
                        attempts        SMALLINT      NOT NULL DEFAULT 0,
                        last_error      VARCHAR(4000),
                        created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
                        next_attempt_at TIMESTAMP(0)  NOT NULL,
                        claimed_until   TIMESTAMP,
                        claimed_by      VARCHAR(255),
                        sent_at         TIMESTAMP,
                        tenant          VARCHAR(64)   NOT NULL
                    );
                    CREATE INDEX jetstream_bridge_outbox_events_tenant ON jetstream_bridge_outbox_events (tenant);
                    """);
            EntityManagerFactory factory = MappedEntities.deploy("drift-" + UUID.randomUUID(),
                    List.of(OutboxEvent.class), database.jdbcUrl(), database.user(), database.password());
            try {
                MappedTable mapped = MappedEntities.tables(factory).get(0);
                EmptyDatabase empty = EmptyDatabase.of(database);
                List<String> differences = SchemaDifferences.of(mapped,
                        empty.readSchema().tables().get("jetstream_bridge_outbox_events"), false);

                assertThat(differences).anyMatch(d -> d.equals(
                                "column stream_seq (OutboxEvent.streamSequence) is missing from the table"))
                        .anyMatch(d -> d.startsWith("column TENANT ") && d.endsWith(
                                "maps no such column (NOT NULL without a default: every insert of the entity fails)"))
                        .anyMatch(d -> d.equals("column event_type is NULL in the table but OutboxEvent.eventType "
                                + "maps it not nullable"))
                        .anyMatch(d -> d.startsWith("column id is not an identity column"))
                        .anyMatch(d -> d.startsWith("column resource_type is CHARACTER VARYING(100)")
                                && d.endsWith("String of length 255: expected VARCHAR(255)"))
                        .anyMatch(d -> d.startsWith("column payload is CHARACTER VARYING(4000)")
                                && d.endsWith("expected large text (TEXT, LONGTEXT, CLOB)"))
                        .anyMatch(d -> d.startsWith("column attempts is SMALLINT") && d.endsWith("expected INTEGER"))
                        .anyMatch(d -> d.startsWith("column created_at is TIMESTAMP WITH TIME ZONE")
                                && d.endsWith("expected a TIMESTAMP without time zone (the entities store UTC "
                                + "wall-clock time)"))
                        .anyMatch(d -> d.startsWith("column next_attempt_at is TIMESTAMP")
                                && d.endsWith("expected microseconds (0 fractional digits)"))
                        .anyMatch(d -> d.startsWith("no unique key on [event_id]"))
                        .anyMatch(d -> d.startsWith("no index on [status, next_attempt_at, id]"))
                        .anyMatch(d -> d.startsWith("index jetstream_bridge_outbox_events_tenant on [tenant] is in "
                                + "the table but OutboxEvent declares no such @Index"));
                assertThat(differences).hasSize(12);
            } finally {
                factory.close();
            }
        }
    }
}
