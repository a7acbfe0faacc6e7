package io.jetstreambridge.core.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.config.OutboxSettings;
import io.jetstreambridge.testing.jta.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.List;
import java.util.Locale;

/** The start-up check behind JSB5080: which optional index the settings read and the table lacks. */
class OptionalIndexesTest {

    private static OutboxSettings outbox(String ordering, String sentRows) {
        return BridgeConfig.builder().appName("orders").destinationApp("billing")
                .set(ConfigKey.OUTBOX_ORDERING, ordering).set(ConfigKey.OUTBOX_SENT_ROWS, sentRows).build().outbox();
    }

    @Test
    void theDefaultsNeedNoOptionalIndex() {
        assertThat(OptionalIndexes.neededBy(outbox("none", "delete"))).isEmpty();
        assertThat(OptionalIndexes.neededBy(outbox("resource", "keep")))
                .containsExactly(OptionalIndexes.RESOURCE, OptionalIndexes.RETENTION);
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.Kind.class, names = {"POSTGRESQL", "H2", "DERBY"})
    void aMissingIndexIsFoundUntilItsScriptRan(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase database = TestDatabase.of(kind)) {
            String folder = kind.name().toLowerCase(Locale.ROOT);
            database.runScriptResource("db/jetstream-bridge/" + folder + "/V2__jetstream_bridge_outbox.sql");
            database.runScriptResource("db/jetstream-bridge/" + folder + "/V3__jetstream_bridge_outbox_indexes.sql");
            List<OptionalIndexes> both = List.of(OptionalIndexes.RESOURCE, OptionalIndexes.RETENTION);
            try (Connection connection = database.openConnection()) {
                assertThat(OptionalIndexes.missing(connection, both)).containsExactlyElementsOf(both);
            }

            database.runScriptResource("db/jetstream-bridge-optional/" + folder + "/"
                    + OptionalIndexes.RETENTION.script());

            try (Connection connection = database.openConnection()) {
                assertThat(OptionalIndexes.missing(connection, both)).containsExactly(OptionalIndexes.RESOURCE);
                assertThat(OptionalIndexes.missing(connection, List.of())).isEmpty();
            }
        }
    }
}
