package io.jetstreambridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/configuration.md} in step with {@link ConfigKey} and {@link Preset}. The file is found through
 * the system property {@code jsb.docs.dir} (set by surefire to the repository's docs directory), else at
 * {@code ../docs} relative to this module.
 */
class ConfigurationReferenceTest {

    static final String DOCS_DIR_PROPERTY = "jsb.docs.dir";

    private static Path file;
    private static ConfigurationReference reference;

    @BeforeAll
    static void readTheDocument() throws IOException {
        file = locate();
        reference = new ConfigurationReference(Files.readString(file, StandardCharsets.UTF_8));
    }

    static Path locate() {
        List<Path> tried = new ArrayList<>();
        String property = System.getProperty(DOCS_DIR_PROPERTY);
        if (property != null && !property.isBlank()) {
            tried.add(Path.of(property, "configuration.md"));
        }
        tried.add(Path.of("..", "docs", "configuration.md"));
        for (Path candidate : tried) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        return fail("docs/configuration.md not found; looked at " + tried.stream()
                .map(p -> p.toAbsolutePath().normalize().toString()).collect(Collectors.joining(", "))
                + ". Create it, or point -D" + DOCS_DIR_PROPERTY + " at the docs directory.");
    }

    @Test
    void everyConfigKeyIsDocumentedOnceInOrderWithItsDefault() {
        List<String> problems = reference.keyTableProblems();

        if (!problems.isEmpty()) {
            fail(file + " is out of step with ConfigKey; fix:" + ConfigurationReference.join(problems));
        }
        assertThat(reference.keyRows()).hasSize(ConfigKey.values().length);
    }

    @Test
    void everyPresetsOverridesAreDocumented() {
        List<String> problems = reference.presetTableProblems();

        if (!problems.isEmpty()) {
            fail(file + " is out of step with Preset; fix:" + ConfigurationReference.join(problems));
        }
        assertThat(reference.presetRows()).extracting(ConfigurationReference.PresetRow::name)
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(Preset.values()).map(Preset::configName)
                        .toList());
    }

    @Test
    void documentedKeysAreWrittenWithThePrefix() {
        assertThat(reference.keyRows()).allSatisfy(row -> assertThat(row.keyCell())
                .as("line %d", row.line()).startsWith("`" + ConfigKey.PREFIX).endsWith("`"));
    }

    @Test
    void mentionsTheEnvironmentFallbackAndEnvironmentVariableNames() throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);

        assertThat(text).as("intro of %s", file).contains("NATS_URLS", "NATS_URL", "JETSTREAM_BRIDGE_APP_NAME",
                ConfigKey.PREFIX, "InvalidConfigurationException");
    }

    @Test
    void theUrlRowListsEverySchemeTheReaderAccepts() {
        String urlsRow = row(ConfigKey.NATS_URLS);

        assertThat(ConfigReader.URL_SCHEMES).allSatisfy(scheme ->
                assertThat(urlsRow).as("the nats.urls row").contains("`" + scheme + "://`"));
    }

    /** With a backoff list nats-server takes the ack wait from the list: the key does nothing by default. */
    @Test
    void theAckWaitRowSaysItHasNoEffectWhileABackoffIsSet() {
        assertThat(row(ConfigKey.CONSUMER_ACK_WAIT)).contains("No effect while `consumer.backoff` is set");
    }

    private static String row(ConfigKey key) {
        return reference.keyRows().stream().filter(r -> r.keyCell().equals("`" + key.fullName() + "`"))
                .map(ConfigurationReference.KeyRow::meaning).findFirst().orElseThrow();
    }

    /** The checks themselves must catch drift, and say what to fix. */
    @Nested
    class TheChecksCatchDrift {

        private String keyTable(String... rows) {
            return "# Configuration\n\n" + ConfigurationReference.KEY_TABLE_HEADER + "\n|---|---|---|\n"
                    + String.join("\n", rows) + "\n\nAfter the table.\n";
        }

        private List<String> allRows() {
            return Arrays.stream(ConfigKey.values())
                    .map(k -> "| `" + k.fullName() + "` | " + ConfigurationReference.defaultCell(k) + " | "
                            + k.description() + " |")
                    .toList();
        }

        private List<String> keyProblems(List<String> rows) {
            return new ConfigurationReference(keyTable(rows.toArray(String[]::new))).keyTableProblems();
        }

        @Test
        void aCompleteTableHasNoProblems() {
            assertThat(keyProblems(allRows())).isEmpty();
        }

        @Test
        void missingKey() {
            List<String> rows = new ArrayList<>(allRows());
            rows.remove(ConfigKey.CONSUMER_BACKOFF.ordinal());

            assertThat(keyProblems(rows)).containsExactly("ConfigKey.CONSUMER_BACKOFF is not documented: add the "
                    + "row | `jetstream.bridge.consumer.backoff` | `1s,5s,15s,30s` | "
                    + ConfigKey.CONSUMER_BACKOFF.description() + " | after the row of "
                    + "`jetstream.bridge.consumer.ack-wait`");
        }

        @Test
        void keyThatDoesNotExist() {
            List<String> rows = new ArrayList<>(allRows());
            rows.add("| `jetstream.bridge.consumer.max-inflight` | `10` | Removed long ago. |");

            assertThat(keyProblems(rows)).singleElement().asString()
                    .contains("`jetstream.bridge.consumer.max-inflight` is documented but is no ConfigKey")
                    .contains("remove the row");
        }

        @Test
        void wrongDefault() {
            List<String> rows = new ArrayList<>(allRows());
            rows.set(ConfigKey.STREAM_REPLICAS.ordinal(), "| `jetstream.bridge.stream.replicas` | `3` | Replicas. |");

            assertThat(keyProblems(rows)).singleElement().asString()
                    .contains("`jetstream.bridge.stream.replicas` shows default '`3`'")
                    .contains("ConfigKey.STREAM_REPLICAS.defaultValue() is '1'")
                    .contains("write `1` in the default column");
        }

        @Test
        void defaultWhereThereIsNone() {
            List<String> rows = new ArrayList<>(allRows());
            rows.set(ConfigKey.NATS_USER.ordinal(), "| `jetstream.bridge.nats.user` | `admin` | User. |");

            assertThat(keyProblems(rows)).singleElement().asString()
                    .contains("null (no default)").contains("write — in the default column");
        }

        @Test
        void keyWithoutPrefixOrBackticks() {
            List<String> rows = new ArrayList<>(allRows());
            rows.set(0, "| preset | `development` | Named set of defaults. |");

            assertThat(keyProblems(rows)).anySatisfy(p -> assertThat(p)
                    .contains("must be the full key in backticks"));
        }

        @Test
        void duplicateRow() {
            List<String> rows = new ArrayList<>(allRows());
            rows.add(rows.get(1));

            assertThat(keyProblems(rows)).singleElement().asString().contains("documented twice");
        }

        @Test
        void wrongOrder() {
            List<String> rows = new ArrayList<>(allRows());
            rows.add(rows.remove(0));

            assertThat(keyProblems(rows)).singleElement().asString()
                    .startsWith("key rows are not in ConfigKey's order; order them as: jetstream.bridge.preset, ");
        }

        @Test
        void noTable() {
            assertThat(new ConfigurationReference("# Configuration\n\n| name | value |\n|---|---|\n")
                    .keyTableProblems()).singleElement().asString().contains("no key table");
        }

        private String presetTable(String... rows) {
            return "| preset | for | keys it changes |\n|---|---|---|\n" + String.join("\n", rows) + "\n";
        }

        private List<String> allPresetRows() {
            return Arrays.stream(Preset.values()).map(p -> "| `" + p.configName() + "` | x | "
                    + ConfigurationReference.settingsCell(p) + " |").toList();
        }

        private List<String> presetProblems(List<String> rows) {
            return new ConfigurationReference(presetTable(rows.toArray(String[]::new))).presetTableProblems();
        }

        @Test
        void completePresetTableHasNoProblems() {
            assertThat(presetProblems(allPresetRows())).isEmpty();
        }

        @Test
        void missingPresetRow() {
            List<String> rows = new ArrayList<>(allPresetRows());
            rows.remove(Preset.STAGING.ordinal());

            assertThat(presetProblems(rows)).singleElement().asString()
                    .startsWith("preset staging has no row in the presets table");
        }

        @Test
        void undocumentedOverride() {
            List<String> rows = new ArrayList<>(allPresetRows());
            rows.set(Preset.PRODUCTION.ordinal(), "| `production` | x | `jetstream.bridge.stream.replicas` = `3` |");

            assertThat(presetProblems(rows)).containsExactlyInAnyOrder(
                    "line 5: preset production sets `jetstream.bridge.consumer.max-deliver` = `5` but the row does "
                            + "not say so: add it",
                    "line 5: preset production sets `jetstream.bridge.consumer.backoff` = `1s,5s,15s,30s` but the "
                            + "row does not say so: add it");
        }

        @Test
        void wrongOrExtraOverride() {
            List<String> rows = new ArrayList<>(allPresetRows());
            rows.set(Preset.STAGING.ordinal(), "| `staging` | x | `jetstream.bridge.stream.replicas` = `2`<br>"
                    + "`jetstream.bridge.consumer.max-deliver` = `5`<br>"
                    + "`jetstream.bridge.consumer.backoff` = `1s,5s,15s,30s`<br>"
                    + "`jetstream.bridge.publish.max-attempts` = `9` |");

            assertThat(presetProblems(rows)).containsExactlyInAnyOrder(
                    "line 6: preset staging sets `jetstream.bridge.stream.replicas` to `1`, the row says `2`: "
                            + "write `1`",
                    "line 6: preset staging does not change `jetstream.bridge.publish.max-attempts`, but the row "
                            + "lists it = `9`: remove it");
        }
    }
}
