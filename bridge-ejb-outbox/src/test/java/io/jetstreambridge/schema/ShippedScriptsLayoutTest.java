package io.jetstreambridge.schema;

import io.jetstreambridge.schema.ShippedScripts.Database;
import io.jetstreambridge.schema.ShippedScripts.Script;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layout docs/schema.md promises, without a database: one folder per database, the same versions and
 * descriptions in each, Flyway's default names, one version sequence shared by both jars (so the two jars never
 * ship the same version), and each version in one jar only.
 */
class ShippedScriptsLayoutTest {

    @Test
    void everyDatabaseShipsTheSameVersionsWithTheSameDescriptions() {
        List<String> postgres = versions(Database.POSTGRESQL);
        assertThat(postgres).as("scripts of %s", Database.POSTGRESQL.location()).isNotEmpty();
        for (Database database : Database.values()) {
            assertThat(versions(database)).as("versions and descriptions of %s against %s", database.location(),
                    Database.POSTGRESQL.location()).isEqualTo(postgres);
        }
    }

    @Test
    void versionsFormOneSequenceFromOneAcrossBothJars() {
        for (Database database : Database.values()) {
            List<Long> versions = ShippedScripts.of(database).stream().map(s -> Long.parseLong(s.version()))
                    .toList();
            assertThat(versions).as("versions of %s: 1, 2, 3... with no gap and no repeat (docs/schema.md)",
                    database.location()).isEqualTo(LongStream.rangeClosed(1, versions.size()).boxed().toList());
        }
    }

    @Test
    void theInboxScriptComesFromBridgeCoreAndTheOutboxScriptFromBridgeEjbOutbox() {
        for (Database database : Database.values()) {
            List<Script> scripts = ShippedScripts.of(database);
            assertThat(scripts).filteredOn(s -> s.description().endsWith("_inbox"))
                    .as("inbox scripts of %s", database.location())
                    .isNotEmpty().allMatch(s -> s.origin().contains("bridge-core"));
            assertThat(scripts).filteredOn(s -> s.description().endsWith("_outbox"))
                    .as("outbox scripts of %s", database.location())
                    .isNotEmpty().allMatch(s -> s.origin().contains("bridge-ejb-outbox"));
        }
    }

    @Test
    void namesFlywayWouldNotReadAreRefused() {
        assertThat(Arrays.asList("V1__jetstream_bridge_inbox.sql", "V12__add_column.sql"))
                .allMatch(n -> ShippedScripts.NAME.matcher(n).matches());
        assertThat(Arrays.asList("V1_jetstream_bridge_inbox.sql", "v1__inbox.sql", "V1.1__inbox.sql",
                "R__inbox.sql", "V1__inbox.SQL", "V1__Inbox.sql")).noneMatch(n -> ShippedScripts.NAME.matcher(n)
                .matches());
    }

    private static List<String> versions(Database database) {
        return ShippedScripts.of(database).stream().map(s -> s.version() + "__" + s.description()).toList();
    }
}
