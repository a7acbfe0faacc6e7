package io.jetstreambridge.admin;

import java.io.PrintWriter;

/** The one layout of command output: indented, aligned {@code key value} lines that are easy to read and grep. */
final class Output {

    private Output() {
    }

    static void line(PrintWriter out, String key, Object value) {
        out.printf("  %-24s %s%n", key, value);
    }
}
