package io.jetstreambridge.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the two tables of {@code docs/configuration.md} (the key table {@code | key | default | meaning |} and the
 * presets table {@code | preset | ... |}) and compares them with {@link ConfigKey} and {@link Preset}. Each check
 * returns one line per drift, saying exactly what to change.
 */
final class ConfigurationReference {

    static final String NO_DEFAULT = "—";
    static final String KEY_TABLE_HEADER = "| key | default | meaning |";
    static final String PRESET_TABLE_FIRST_COLUMN = "preset";

    private static final Pattern CODE = Pattern.compile("`([^`]*)`");
    private static final Pattern PRESET_SETTING = Pattern.compile("`(" + Pattern.quote(ConfigKey.PREFIX)
            + "[^`]+)`\\s*=\\s*`([^`]*)`");

    /** One row of the key table, as written. */
    record KeyRow(int line, String keyCell, String defaultCell, String meaning) {
    }

    /** One row of the presets table: the preset's name and the key/value pairs it lists. */
    record PresetRow(int line, String name, Map<String, String> settings) {
    }

    private final List<String> lines;

    ConfigurationReference(String markdown) {
        this.lines = markdown.lines().toList();
    }

    // ---- parsing

    /** Rows of the table whose header is {@value #KEY_TABLE_HEADER}; empty when there is no such table. */
    List<KeyRow> keyRows() {
        List<KeyRow> rows = new ArrayList<>();
        for (TableRow row : tableBody(header -> normalise(header).equals(KEY_TABLE_HEADER))) {
            List<String> cells = row.cells();
            rows.add(new KeyRow(row.line(), cell(cells, 0), cell(cells, 1), cell(cells, 2)));
        }
        return rows;
    }

    boolean hasKeyTable() {
        return lines.stream().anyMatch(l -> normalise(l).equals(KEY_TABLE_HEADER));
    }

    boolean hasPresetTable() {
        return lines.stream().anyMatch(ConfigurationReference::isPresetHeader);
    }

    List<PresetRow> presetRows() {
        List<PresetRow> rows = new ArrayList<>();
        for (TableRow row : tableBody(ConfigurationReference::isPresetHeader)) {
            String name = unquote(cell(row.cells(), 0)).orElse(cell(row.cells(), 0));
            Map<String, String> settings = new LinkedHashMap<>();
            Matcher m = PRESET_SETTING.matcher(String.join(" | ", row.cells().subList(1, row.cells().size())));
            while (m.find()) {
                settings.put(m.group(1), m.group(2));
            }
            rows.add(new PresetRow(row.line(), name, settings));
        }
        return rows;
    }

    // ---- checks

    /** The key table lists every ConfigKey once, in enum order, with its default; nothing else. */
    List<String> keyTableProblems() {
        List<String> problems = new ArrayList<>();
        if (!hasKeyTable()) {
            problems.add("no key table: add a table with the header line '" + KEY_TABLE_HEADER + "'");
            return problems;
        }
        List<ConfigKey> documentedInOrder = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (KeyRow row : keyRows()) {
            Optional<String> key = unquote(row.keyCell());
            if (key.isEmpty() || !key.get().startsWith(ConfigKey.PREFIX)) {
                problems.add("line " + row.line() + ": key cell '" + row.keyCell() + "' must be the full key in "
                        + "backticks, e.g. `" + ConfigKey.APP_NAME.fullName() + "`");
                continue;
            }
            String name = key.get();
            Integer earlier = seen.putIfAbsent(name, row.line());
            if (earlier != null) {
                problems.add("line " + row.line() + ": `" + name + "` is documented twice (also line " + earlier
                        + "): remove one row");
                continue;
            }
            Optional<ConfigKey> configKey = ConfigKey.byName(name).filter(k -> k.fullName().equals(name));
            if (configKey.isEmpty()) {
                problems.add("line " + row.line() + ": `" + name + "` is documented but is no ConfigKey: remove "
                        + "the row, or add the key to io.jetstreambridge.config.ConfigKey");
                continue;
            }
            documentedInOrder.add(configKey.get());
            String expected = defaultCell(configKey.get());
            if (!row.defaultCell().equals(expected)) {
                problems.add("line " + row.line() + ": `" + name + "` shows default '" + row.defaultCell()
                        + "' but ConfigKey." + configKey.get().name() + ".defaultValue() is "
                        + describeDefault(configKey.get()) + ": write " + expected + " in the default column");
            }
            if (row.meaning().isBlank()) {
                problems.add("line " + row.line() + ": `" + name + "` has no meaning: describe it, e.g. '"
                        + configKey.get().description() + "'");
            }
        }
        for (ConfigKey key : ConfigKey.values()) {
            if (!documentedInOrder.contains(key)) {
                problems.add("ConfigKey." + key.name() + " is not documented: add the row | `" + key.fullName()
                        + "` | " + defaultCell(key) + " | " + key.description() + " |"
                        + placement(key));
            }
        }
        List<ConfigKey> enumOrder = Arrays.stream(ConfigKey.values()).filter(documentedInOrder::contains).toList();
        if (problems.isEmpty() && !documentedInOrder.equals(enumOrder)) {
            problems.add("key rows are not in ConfigKey's order; order them as: " + enumOrder.stream()
                    .map(ConfigKey::fullName).collect(Collectors.joining(", ")));
        }
        return problems;
    }

    /** The presets table has one row per preset listing exactly the keys and values the preset changes. */
    List<String> presetTableProblems() {
        List<String> problems = new ArrayList<>();
        if (!hasPresetTable()) {
            problems.add("no presets table: add a table whose first column is '" + PRESET_TABLE_FIRST_COLUMN
                    + "', one row per preset");
            return problems;
        }
        Map<String, PresetRow> rows = new LinkedHashMap<>();
        for (PresetRow row : presetRows()) {
            if (rows.putIfAbsent(row.name(), row) != null) {
                problems.add("line " + row.line() + ": preset `" + row.name() + "` has two rows: remove one");
            }
            if (Preset.byName(row.name()).filter(p -> p.configName().equals(row.name())).isEmpty()) {
                problems.add("line " + row.line() + ": `" + row.name() + "` is no preset: write one of "
                        + Preset.allowedNames() + " in backticks");
            }
        }
        for (Preset preset : Preset.values()) {
            PresetRow row = rows.get(preset.configName());
            if (row == null) {
                problems.add("preset " + preset.configName() + " has no row in the presets table: add | `"
                        + preset.configName() + "` | ... | " + settingsCell(preset) + " |");
                continue;
            }
            for (ConfigKey key : ConfigKey.values()) {
                Optional<String> actual = preset.defaultFor(key);
                String documented = row.settings().get(key.fullName());
                if (actual.isPresent() && documented == null) {
                    problems.add("line " + row.line() + ": preset " + preset.configName() + " sets `"
                            + key.fullName() + "` = `" + actual.get() + "` but the row does not say so: add it");
                } else if (actual.isPresent() && !actual.get().equals(documented)) {
                    problems.add("line " + row.line() + ": preset " + preset.configName() + " sets `"
                            + key.fullName() + "` to `" + actual.get() + "`, the row says `" + documented
                            + "`: write `" + actual.get() + "`");
                } else if (actual.isEmpty() && documented != null) {
                    problems.add("line " + row.line() + ": preset " + preset.configName() + " does not change `"
                            + key.fullName() + "`, but the row lists it = `" + documented + "`: remove it");
                }
            }
            row.settings().keySet().stream()
                    .filter(name -> ConfigKey.byName(name).filter(k -> k.fullName().equals(name)).isEmpty())
                    .forEach(name -> problems.add("line " + row.line() + ": preset " + preset.configName()
                            + " lists `" + name + "`, which is no ConfigKey: remove it"));
        }
        return problems;
    }

    // ---- helpers

    /** What the default column must say for the key. */
    static String defaultCell(ConfigKey key) {
        return key.defaultValue() == null ? NO_DEFAULT : "`" + key.defaultValue() + "`";
    }

    static String settingsCell(Preset preset) {
        String settings = Arrays.stream(ConfigKey.values())
                .filter(k -> preset.defaultFor(k).isPresent())
                .map(k -> "`" + k.fullName() + "` = `" + preset.defaultFor(k).get() + "`")
                .collect(Collectors.joining("<br>"));
        return settings.isEmpty() ? "none" : settings;
    }

    private static String describeDefault(ConfigKey key) {
        return key.defaultValue() == null ? "null (no default)" : "'" + key.defaultValue() + "'";
    }

    private String placement(ConfigKey key) {
        if (key.ordinal() == 0) {
            return " as the first row";
        }
        return " after the row of `" + ConfigKey.values()[key.ordinal() - 1].fullName() + "`";
    }

    private record TableRow(int line, List<String> cells) {
    }

    /** The rows under the first header line that satisfies the test, up to the first line that is no row. */
    private List<TableRow> tableBody(java.util.function.Predicate<String> isHeader) {
        List<TableRow> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!isHeader.test(lines.get(i))) {
                continue;
            }
            int j = i + 1;
            if (j < lines.size() && lines.get(j).trim().matches("\\|?\\s*:?-{3,}:?\\s*(\\|\\s*:?-{3,}:?\\s*)*\\|?")) {
                j++;
            }
            for (; j < lines.size() && lines.get(j).trim().startsWith("|"); j++) {
                rows.add(new TableRow(j + 1, cells(lines.get(j))));
            }
            return rows;
        }
        return rows;
    }

    private static boolean isPresetHeader(String line) {
        List<String> cells = cells(line);
        return line.trim().startsWith("|") && !cells.isEmpty()
                && cells.get(0).equalsIgnoreCase(PRESET_TABLE_FIRST_COLUMN);
    }

    /** Cells of a table row, trimmed; {@code \|} inside a cell is not a separator. */
    static List<String> cells(String row) {
        String trimmed = row.trim();
        if (trimmed.startsWith("|")) {
            trimmed = trimmed.substring(1);
        }
        if (trimmed.endsWith("|") && !trimmed.endsWith("\\|")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return Arrays.stream(trimmed.split("(?<!\\\\)\\|", -1)).map(String::trim).toList();
    }

    private static String normalise(String line) {
        return "| " + String.join(" | ", cells(line)) + " |";
    }

    private static String cell(List<String> cells, int index) {
        return index < cells.size() ? cells.get(index) : "";
    }

    /** The text inside backticks when the whole cell is one code span. */
    private static Optional<String> unquote(String cell) {
        Matcher m = CODE.matcher(cell);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    static String join(List<String> problems) {
        return problems.stream().map(p -> "\n  - " + p).collect(Collectors.joining());
    }
}
