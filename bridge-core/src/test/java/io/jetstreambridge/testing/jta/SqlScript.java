package io.jetstreambridge.testing.jta;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an SQL script into statements at the semicolons that end them. Semicolons inside quoted strings or
 * identifiers ({@code '...'}, {@code "..."}), comments ({@code -- ...}, {@code /* ... *}{@code /}) and PostgreSQL
 * dollar-quoted bodies ({@code $$ ... $$}, {@code $fn$ ... $fn$}) do not split. Comments are dropped; blank
 * statements are skipped.
 */
public final class SqlScript {

    private SqlScript() {
    }

    /** The statements of {@code script}, in order, trimmed, without their terminating semicolon. */
    public static List<String> split(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int n = script.length();
        int i = 0;
        while (i < n) {
            char c = script.charAt(i);
            if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
                int end = script.indexOf('\n', i);
                i = end < 0 ? n : end;
                current.append(' ');
            } else if (c == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
                int end = script.indexOf("*/", i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated /* comment at offset " + i);
                }
                i = end + 2;
                current.append(' ');
            } else if (c == '\'' || c == '"') {
                int end = closingQuote(script, i, c);
                current.append(script, i, end + 1);
                i = end + 1;
            } else if (c == '$' && dollarTag(script, i) != null) {
                String tag = dollarTag(script, i);
                int end = script.indexOf(tag, i + tag.length());
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated " + tag + " quote at offset " + i);
                }
                current.append(script, i, end + tag.length());
                i = end + tag.length();
            } else if (c == ';') {
                add(statements, current);
                i++;
            } else {
                current.append(c);
                i++;
            }
        }
        add(statements, current);
        return statements;
    }

    /** Reads a script from the class path (a resource name such as {@code db/inbox-postgresql.sql}). */
    public static String readResource(String resource) {
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = SqlScript.class.getClassLoader();
        }
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no SQL script on the class path at " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the SQL script " + name, e);
        }
    }

    private static void add(List<String> statements, StringBuilder current) {
        String statement = current.toString().strip();
        if (!statement.isEmpty()) {
            statements.add(statement);
        }
        current.setLength(0);
    }

    /** Index of the quote closing the one at {@code start}; a doubled quote is an escaped one. */
    private static int closingQuote(String s, int start, char quote) {
        int i = start + 1;
        while (i < s.length()) {
            if (s.charAt(i) == quote) {
                if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i;
            }
            i++;
        }
        throw new IllegalArgumentException("unterminated " + quote + " quote at offset " + start);
    }

    /** The dollar-quote tag ({@code $$} or {@code $name$}) starting at {@code start}, or null. */
    private static String dollarTag(String s, int start) {
        if (start > 0 && (Character.isLetterOrDigit(s.charAt(start - 1)) || s.charAt(start - 1) == '_')) {
            return null; // part of an identifier such as a$b, or a positional parameter $1
        }
        int i = start + 1;
        while (i < s.length() && (Character.isLetter(s.charAt(i)) || s.charAt(i) == '_'
                || (i > start + 1 && Character.isDigit(s.charAt(i))))) {
            i++;
        }
        if (i < s.length() && s.charAt(i) == '$') {
            return s.substring(start, i + 1);
        }
        return null;
    }
}
