package io.jetstreambridge.bench;

import io.jetstreambridge.testing.jta.TestDatabase;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL's own account of a measured part, from {@code pg_stat_statements} on the bench's cluster: reset right
 * before the part, read right after it, per statement the calls and the server time (planning and execution).
 * Statements are keyed by their shortened normalized text, so an {@code IN} list or a batch of another length counts
 * as the same statement. Not in it: the work of a commit after its statement (the WAL flush happens when the
 * {@code COMMIT} statement has returned), the protocol, and background processes (autovacuum, WAL writer,
 * checkpointer); {@link CpuSplit} sees those.
 */
final class StatementStats {

    private static final int TEXT_LENGTH = 110;
    private static final Pattern PARAMETER = Pattern.compile("\\$\\d+");
    private static final Pattern PARAMETER_LIST = Pattern.compile("\\?(?:\\s*,\\s*\\?)+");
    private static final Pattern ROW_LIST = Pattern.compile("\\(\\?(?:, …)?\\)(?:\\s*,\\s*\\(\\?(?:, …)?\\))+");
    private static final Pattern NAME_LIST = Pattern.compile("(?:[\\w.\"]+\\s*,\\s*){3,}[\\w.\"]+");

    /** One statement's totals over a part. */
    record Statement(String text, long calls, double millis) {

        Statement plus(Statement other) {
            return new Statement(text, calls + other.calls, millis + other.millis);
        }
    }

    /** The totals per statement of one part (or of several, added up), largest server time first. */
    record Result(List<Statement> statements) {

        static final Result EMPTY = new Result(List.of());

        Result plus(Result other) {
            Map<String, Statement> merged = new LinkedHashMap<>();
            statements.forEach(s -> merged.merge(s.text(), s, Statement::plus));
            other.statements.forEach(s -> merged.merge(s.text(), s, Statement::plus));
            return new Result(sorted(merged));
        }

        double totalMillis() {
            return statements.stream().mapToDouble(Statement::millis).sum();
        }

        /** Server time of all statements per event, in microseconds. */
        double microsPerEvent(long events) {
            return events <= 0 ? 0 : totalMillis() * 1000 / events;
        }
    }

    private final TestDatabase database;

    StatementStats(TestDatabase database) {
        this.database = database;
    }

    /** Creates the extension in the bench's database (the server loads the library at start). */
    void install() {
        database.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    }

    void reset() {
        try (Connection connection = database.openConnection(); java.sql.Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_stat_statements_reset()");
        } catch (SQLException e) {
            throw new IllegalStateException("could not reset pg_stat_statements", e);
        }
    }

    /** What every statement since the last {@link #reset()} cost, the bench's own reading of the view left out. */
    Result read() {
        Map<String, Statement> byText = new LinkedHashMap<>();
        try (Connection connection = database.openConnection(); java.sql.Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT query, calls, total_plan_time + total_exec_time "
                     + "FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'")) {
            while (rows.next()) {
                String text = shorten(rows.getString(1));
                byText.merge(text, new Statement(text, rows.getLong(2), rows.getDouble(3)), Statement::plus);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read pg_stat_statements", e);
        }
        return new Result(sorted(byText));
    }

    /**
     * The normalized text on one line, its parameters as {@code ?} (their numbers differ with the length of a list
     * before them), parameter lists, rows of a multi-row {@code VALUES} and column lists folded to {@code …}, at most
     * {@value #TEXT_LENGTH} characters.
     */
    static String shorten(String sql) {
        String text = sql.replaceAll("\\s+", " ").trim();
        text = PARAMETER.matcher(text).replaceAll("?");
        text = PARAMETER_LIST.matcher(text).replaceAll(Matcher.quoteReplacement("?, …"));
        text = ROW_LIST.matcher(text).replaceAll(Matcher.quoteReplacement("(?, …), …"));
        text = NAME_LIST.matcher(text).replaceAll("…");
        return text.length() <= TEXT_LENGTH ? text : text.substring(0, TEXT_LENGTH - 1) + "…";
    }

    private static List<Statement> sorted(Map<String, Statement> byText) {
        List<Statement> list = new ArrayList<>(byText.values());
        list.sort(Comparator.comparingDouble(Statement::millis).reversed());
        return List.copyOf(list);
    }
}
