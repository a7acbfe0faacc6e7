package io.jetstreambridge.sample;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sample is the WAR that README's quick start and docs/getting-started.md describe: every Java and XML snippet
 * there says, in an HTML comment on the line before it, which of the sample's files it comes from
 * ({@code <!-- sample: path, path -->}), and each of its lines is in one of them, so the guide cannot drift from
 * code that is built and run end to end (OrderInvoiceLoopIT). A snippet that is not the sample's must say why
 * ({@code <!-- not in the sample: reason -->}). Lines are compared with comments, indentation and {@code ...}
 * elisions left out.
 */
class DocSnippetsTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern BLOCK = Pattern.compile("(?m)^([^\\n]*)\\n```(java|xml)\\n(.*?)^```", Pattern.DOTALL);
    private static final Pattern SAMPLE = Pattern.compile("<!-- sample: (.+?) -->");
    private static final Pattern NOT_IN_SAMPLE = Pattern.compile("<!-- not in the sample: .{10,} -->");

    private record Snippet(String doc, int line, String marker, String code) {
    }

    @Test
    void everyQuickStartAndGuideSnippetIsTheSamplesOwnCode() throws IOException {
        List<Snippet> snippets = new ArrayList<>(snippets("README.md", section(read("README.md"), "## Getting started")));
        snippets.addAll(snippets("docs/getting-started.md", read("docs/getting-started.md")));
        assertThat(snippets).as("snippets found").hasSizeGreaterThan(10);

        List<String> problems = new ArrayList<>();
        for (Snippet snippet : snippets) {
            Matcher sample = SAMPLE.matcher(snippet.marker());
            if (sample.find()) {
                List<String> source = new ArrayList<>();
                for (String file : sample.group(1).split(",\\s*")) {
                    Path path = ROOT.resolve(file.trim());
                    if (!Files.isRegularFile(path)) {
                        problems.add(where(snippet) + "names " + file + ", which does not exist");
                        continue;
                    }
                    Files.readAllLines(path, StandardCharsets.UTF_8).forEach(l -> source.add(normalized(l)));
                }
                for (String line : snippet.code().split("\n")) {
                    String wanted = normalized(line);
                    if (wanted.isEmpty() || wanted.contains("...")) {
                        continue;
                    }
                    if (source.stream().noneMatch(l -> l.contains(wanted))) {
                        problems.add(where(snippet) + "line '" + wanted + "' is not in " + sample.group(1));
                    }
                }
            } else if (!NOT_IN_SAMPLE.matcher(snippet.marker()).find()) {
                problems.add(where(snippet) + "has no <!-- sample: FILE --> or <!-- not in the sample: WHY --> "
                        + "line before it");
            }
        }
        assertThat(problems).as("snippets out of step with the sample").isEmpty();
    }

    /** The checks themselves: a line the sample does not have, and a snippet without a marker, are found. */
    @Test
    void aSnippetThatDriftsOrSaysNothingIsFound() {
        String doc = """
                <!-- sample: sample-war/src/main/java/io/jetstreambridge/sample/SamplePersistence.java -->
                ```java
                @Produces
                @BridgePersistence(unitName = "other")
                ```

                ```xml
                <feature>cdi-4.0</feature>
                ```
                """;
        List<Snippet> found = snippets("x.md", doc);
        assertThat(found).hasSize(2);
        assertThat(SAMPLE.matcher(found.get(0).marker()).find()).isTrue();
        assertThat(normalized("    @BridgePersistence(unitName = \"other\")   // comment")).isEqualTo(
                "@BridgePersistence(unitName = \"other\")");
        assertThat(found.get(1).marker()).isEmpty();
    }

    private static String where(Snippet snippet) {
        return snippet.doc() + ":" + snippet.line() + ": the snippet ";
    }

    private static List<Snippet> snippets(String doc, String text) {
        List<Snippet> snippets = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find()) {
            int line = text.substring(0, matcher.start()).split("\n", -1).length + 1;
            snippets.add(new Snippet(doc, line, matcher.group(1), matcher.group(3)));
        }
        return snippets;
    }

    /** Without XML and end-of-line Java comments, indentation and runs of blanks. */
    static String normalized(String line) {
        return line.replaceAll("<!--.*?-->", "")
                .replaceAll("(^|\\s)//(\\s.*)?$", "")
                .replaceAll("\\s+", " ")
                .trim();
    }

    private static String section(String text, String heading) {
        int start = text.indexOf("\n" + heading + "\n");
        assertThat(start).as("README has the section " + heading).isNotNegative();
        int end = text.indexOf("\n## ", start + heading.length() + 2);
        return text.substring(start + 1, end < 0 ? text.length() : end);
    }

    private static String read(String file) throws IOException {
        return Files.readString(ROOT.resolve(file), StandardCharsets.UTF_8);
    }
}
