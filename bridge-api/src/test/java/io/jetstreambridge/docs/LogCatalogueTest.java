package io.jetstreambridge.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.jetstreambridge.docs.LogCatalogue.Level;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Keeps {@code docs/log-messages.md} in step with the code: every {@code JSBnnnn} any module's {@code src/main/java}
 * logs has exactly one row, with the level it is logged at, and every row's code is still logged. The repository
 * is the parent of {@code jsb.docs.dir} (set by surefire), else of this module.
 */
class LogCatalogueTest {

    private static Path repository() {
        String docs = System.getProperty("jsb.docs.dir");
        Path root = docs != null && !docs.isBlank() ? Path.of(docs).getParent() : Path.of("..");
        if (!Files.isRegularFile(root.resolve("docs").resolve("log-messages.md"))) {
            fail("docs/log-messages.md not found under " + root.toAbsolutePath().normalize());
        }
        return root.toAbsolutePath().normalize();
    }

    private static Map<String, Set<Level>> loggedCodes(Path repository) throws IOException {
        Map<String, Set<Level>> codes = new TreeMap<>();
        try (Stream<Path> modules = Files.list(repository)) {
            for (Path main : modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.walk(main)) {
                    files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                        try {
                            LogCatalogue.codesIn(Files.readString(f, StandardCharsets.UTF_8), codes);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                }
            }
        }
        return codes;
    }

    @Test
    void everyLoggedCodeHasOneRowWithItsLevelAndEveryRowIsLogged() throws IOException {
        Path repository = repository();
        Map<String, Set<Level>> logged = loggedCodes(repository);
        Map<String, String> rows = LogCatalogue.rows(Files.readString(
                repository.resolve("docs/log-messages.md"), StandardCharsets.UTF_8));

        assertThat(logged).as("codes found in src/main/java").hasSizeGreaterThan(50);
        assertThat(LogCatalogue.problems(logged, rows)).as("docs/log-messages.md against the code").isEmpty();
    }

    @Nested
    class TheChecksCatchDrift {

        private static final String PAGE = """
                | code | level | meaning | what to do |
                |---|---|---|---|
                | `JSB1001` | INFO | up | nothing |
                | `JSB5010` | WARNING, FINE | failed | wait |
                """;

        @Test
        void aCodeWithoutARowAStaleRowAndAWrongLevelAreReported() {
            Map<String, Set<Level>> logged = LogCatalogue.codesIn("""
                    LOG.warning(() -> "JSB1001: up");
                    LOG.log(Level.SEVERE, "JSB4200: new"
                            + " message", error);
                    """, new TreeMap<>());

            assertThat(LogCatalogue.problems(logged, LogCatalogue.rows(PAGE))).containsExactly(
                    "JSB1001 is logged at WARNING but its row says 'INFO'",
                    "JSB4200 is logged ([SEVERE]) but has no row in docs/log-messages.md",
                    "JSB5010 has a row but no main code logs it");
        }

        @Test
        void aChosenLevelNeedsBothLevelsInItsRow() {
            Map<String, Set<Level>> logged = LogCatalogue.codesIn("""
                    LOG.info(() -> "JSB1001: up");
                    LOG.log(repeated ? Level.FINE : Level.WARNING, "JSB5010: failed", error);
                    """, new TreeMap<>());

            assertThat(logged).containsEntry("JSB5010", Set.of(Level.FINE, Level.WARNING));
            assertThat(LogCatalogue.problems(logged, LogCatalogue.rows(PAGE))).isEmpty();
            assertThat(LogCatalogue.problems(logged, LogCatalogue.rows(PAGE.replace("WARNING, FINE", "WARNING"))))
                    .containsExactly("JSB5010 is logged at FINE but its row says 'WARNING'");
        }

        @Test
        void aCodeListedTwiceIsReported() {
            assertThat(LogCatalogue.problems(Map.of("JSB1001", Set.of(Level.INFO)),
                    LogCatalogue.rows(PAGE + "| `JSB1001` | INFO | again | |\n")))
                    .contains("JSB1001 has more than one row");
        }
    }
}
