package io.jetstreambridge.docs;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code docs/log-messages.md} must agree with: the {@code JSBnnnn} codes the main code logs, each with the
 * levels it logs at, against the page's rows {@code | `JSBnnnn` | LEVEL | meaning | what to do |}.
 */
final class LogCatalogue {

    enum Level { SEVERE, WARNING, INFO, FINE }

    private static final Pattern CODE = Pattern.compile("\"JSB(\\d{4})");
    private static final Pattern LEVEL = Pattern.compile(
            "\\.(severe|warning|info|fine)\\(|Level\\.(SEVERE|WARNING|INFO|FINE)\\b");
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`(JSB\\d{4})`\\s*\\|([^|]*)\\|", Pattern.MULTILINE);
    /** How far before a code its logging call may start: a lambda's opening line and a wrapped message. */
    private static final int STATEMENT_REACH = 400;

    private LogCatalogue() {
    }

    /**
     * The codes in one source file with the levels of the logging statement each is in: the last statement start
     * ({@code LOG.}, {@code Logger}) before the code, up to the code, says the level; a choice such as
     * {@code repeated ? Level.FINE : Level.WARNING} gives both.
     */
    static Map<String, Set<Level>> codesIn(String source, Map<String, Set<Level>> into) {
        Matcher code = CODE.matcher(source);
        while (code.find()) {
            int from = Math.max(0, code.start() - STATEMENT_REACH);
            String before = source.substring(from, code.start());
            int statement = Math.max(before.lastIndexOf("LOG."), before.lastIndexOf("Logger"));
            Set<Level> levels = EnumSet.noneOf(Level.class);
            if (statement >= 0) {
                Matcher level = LEVEL.matcher(before.substring(statement));
                while (level.find()) {
                    String name = level.group(1) != null ? level.group(1) : level.group(2);
                    levels.add(Level.valueOf(name.toUpperCase(Locale.ROOT)));
                }
            }
            into.computeIfAbsent("JSB" + code.group(1), k -> EnumSet.noneOf(Level.class)).addAll(levels);
        }
        return into;
    }

    /** The page's rows: code to the text of its level column. */
    static Map<String, String> rows(String markdown) {
        Map<String, String> rows = new TreeMap<>();
        Matcher row = ROW.matcher(markdown);
        while (row.find()) {
            if (rows.put(row.group(1), row.group(2).trim()) != null) {
                rows.put(row.group(1), "listed twice");
            }
        }
        return rows;
    }

    /** Everything that disagrees, one line each; empty when page and code agree. */
    static List<String> problems(Map<String, Set<Level>> logged, Map<String, String> rows) {
        List<String> problems = new ArrayList<>();
        new TreeMap<>(logged).forEach((code, levels) -> {
            String row = rows.get(code);
            if (row == null) {
                problems.add(code + " is logged (" + levels + ") but has no row in docs/log-messages.md");
            } else if (row.equals("listed twice")) {
                problems.add(code + " has more than one row");
            } else {
                Set<String> documented = Set.of(row.toUpperCase(Locale.ROOT).split("[,\\s]+"));
                for (Level level : levels) {
                    if (!documented.contains(level.name())) {
                        problems.add(code + " is logged at " + level + " but its row says '" + row + "'");
                    }
                }
                if (levels.isEmpty()) {
                    problems.add(code + ": the level it is logged at could not be found in the code");
                }
            }
        });
        rows.keySet().stream().filter(code -> !logged.containsKey(code))
                .forEach(code -> problems.add(code + " has a row but no main code logs it"));
        return problems;
    }
}
