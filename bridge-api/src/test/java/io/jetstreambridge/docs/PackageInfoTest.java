package io.jetstreambridge.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every package of the library modules' {@code src/main/java} has a {@code package-info.java} whose javadoc says in its
 * first sentence what kind of package it is: API in {@code bridge-api} (applications compile against it,
 * compatibility promised), SPI or internal everywhere else, so a user can tell a promise from plumbing. The
 * repository is found as {@link LogCatalogueTest} finds it.
 */
class PackageInfoTest {

    /** The modules published as libraries; a module renamed or added must be named here. */
    static final List<String> LIBRARY_MODULES = List.of("bridge-api", "bridge-core", "bridge-cdi", "bridge-ejb-outbox");

    private static final Pattern JAVADOC = Pattern.compile("/\\*\\*(.*?)\\*/", Pattern.DOTALL);
    private static final Pattern API = Pattern.compile("\\bAPI\\b");
    private static final Pattern SPI_OR_INTERNAL = Pattern.compile("\\bSPI\\b|\\b[Ii]nternal\\b");

    private static Path repository() {
        String docs = System.getProperty("jsb.docs.dir");
        Path root = docs != null && !docs.isBlank() ? Path.of(docs).getParent() : Path.of("..");
        if (!Files.isDirectory(root.resolve("bridge-api").resolve("src/main/java"))) {
            fail("bridge-api/src/main/java not found under " + root.toAbsolutePath().normalize());
        }
        return root.toAbsolutePath().normalize();
    }

    @Test
    void everyLibraryPackageSaysWhetherItIsApiSpiOrInternal() throws IOException {
        Path repository = repository();
        List<String> problems = new ArrayList<>();
        int packages = 0;
        for (String module : LIBRARY_MODULES) {
            Path main = repository.resolve(module).resolve("src/main/java");
            assertThat(main).as(module + "'s sources").isDirectory();
            for (Path dir : packageDirectories(main)) {
                packages++;
                Path info = dir.resolve("package-info.java");
                Optional<String> text = Files.isRegularFile(info)
                        ? Optional.of(Files.readString(info, StandardCharsets.UTF_8)) : Optional.empty();
                String name = main.relativize(dir).toString().replace(dir.getFileSystem().getSeparator(), ".");
                problem(module, name, text).ifPresent(problems::add);
            }
        }
        assertThat(packages).as("packages found").isGreaterThan(20);
        assertThat(problems).as("package-info.java of the library modules").isEmpty();
    }

    /** Directories holding at least one type (a class, interface, record, enum or annotation). */
    private static List<Path> packageDirectories(Path main) throws IOException {
        try (Stream<Path> files = Files.walk(main)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.getFileName().toString().equals("package-info.java"))
                    .map(Path::getParent).distinct().sorted().toList();
        }
    }

    /** What is wrong with one package's {@code package-info.java}, if anything. */
    static Optional<String> problem(String module, String packageName, Optional<String> packageInfo) {
        String where = module + " " + packageName;
        if (packageInfo.isEmpty()) {
            return Optional.of(where + ": no package-info.java");
        }
        Matcher javadoc = JAVADOC.matcher(packageInfo.get());
        if (!javadoc.find()) {
            return Optional.of(where + ": package-info.java has no javadoc");
        }
        String sentence = firstSentence(javadoc.group(1));
        boolean api = module.equals("bridge-api");
        Pattern kind = api ? API : SPI_OR_INTERNAL;
        if (!kind.matcher(sentence).find()) {
            return Optional.of(where + ": the first sentence of its javadoc must say "
                    + (api ? "API" : "SPI or internal") + ": \"" + sentence + "\"");
        }
        return Optional.empty();
    }

    /** Up to the first period followed by white space, as javadoc's summary; leading asterisks removed. */
    static String firstSentence(String javadoc) {
        String text = javadoc.replaceAll("(?m)^\\s*\\*\\s?", " ").replaceAll("\\s+", " ").trim();
        Matcher end = Pattern.compile("\\.(\\s|$)").matcher(text);
        return end.find() ? text.substring(0, end.start() + 1) : text;
    }

    @Nested
    class TheCheckCatchesDrift {

        @Test
        void aMissingFileAMissingJavadocAndASilentFirstSentenceAreReported() {
            assertThat(problem("bridge-core", "io.jetstreambridge.core.x", Optional.empty()))
                    .hasValueSatisfying(p -> assertThat(p).contains("no package-info.java"));
            assertThat(problem("bridge-core", "io.jetstreambridge.core.x", Optional.of("package io.x;")))
                    .hasValueSatisfying(p -> assertThat(p).contains("no javadoc"));
            assertThat(problem("bridge-core", "io.jetstreambridge.core.x", Optional.of("""
                    /**
                     * The relay. It is internal.
                     */
                    package io.jetstreambridge.core.x;
                    """))).hasValueSatisfying(p -> assertThat(p).contains("SPI or internal"));
        }

        @Test
        void bridgeApiMustSayApiAndTheOthersSpiOrInternal() {
            String internal = "/**\n * The relay, internal: rounds.\n */\npackage x;";
            String api = "/**\n * Publishing, API: the publisher.\n */\npackage x;";
            assertThat(problem("bridge-api", "x", Optional.of(internal))).isPresent();
            assertThat(problem("bridge-api", "x", Optional.of(api))).isEmpty();
            assertThat(problem("bridge-cdi", "x", Optional.of(api))).isPresent();
            assertThat(problem("bridge-cdi", "x", Optional.of(internal))).isEmpty();
            assertThat(problem("bridge-core", "x", Optional.of("/** The telemetry, SPI: hooks. */ package x;")))
                    .isEmpty();
        }

        @Test
        void theFirstSentenceEndsAtAPeriodFollowedBySpaceNotInsideALink() {
            assertThat(firstSentence("\n * The root, API: {@link io.x.Y}.\n * More, internal.\n"))
                    .isEqualTo("The root, API: {@link io.x.Y}.");
        }
    }
}
