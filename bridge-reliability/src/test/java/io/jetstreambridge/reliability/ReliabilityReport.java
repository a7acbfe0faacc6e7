package io.jetstreambridge.reliability;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Collects the measured rows of the fault tests and, when the test plan ends (a JUnit Platform listener found
 * through {@code META-INF/services}), writes them as the page {@code docs/reliability.md} ({@code -Pfaults}) or as
 * {@code target/reliability.md} (the trimmed run of every build). The table is written from measurements only.
 */
public final class ReliabilityReport implements TestExecutionListener {

    private static final Map<String, FaultRow> ROWS = new ConcurrentHashMap<>();
    private static final Map<String, Long> DURATIONS = new ConcurrentHashMap<>();

    /** Records a row; a later run of the same fault replaces it. */
    static void record(FaultRow row) {
        ROWS.put(row.id(), row);
    }

    /** Records how long a fault's test took, for the run-time figures. */
    static void duration(String id, long millis) {
        DURATIONS.merge(id, millis, Long::sum);
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        String target = System.getProperty("jsb.faults.report");
        if (target == null || ROWS.isEmpty()) {
            return;
        }
        Path file = Path.of(target);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, render(FaultScale.current()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static int faultNumber(String id) {
        int end = 1;
        while (end < id.length() && Character.isDigit(id.charAt(end))) {
            end++;
        }
        return end > 1 ? Integer.parseInt(id.substring(1, end)) : Integer.MAX_VALUE;
    }

    static String render(FaultScale scale) {
        List<FaultRow> rows = new ArrayList<>(ROWS.values());
        // by number, so that F13 follows F9 rather than F1; then F9a, F9b, ...
        rows.sort(Comparator.comparingInt((FaultRow row) -> faultNumber(row.id())).thenComparing(FaultRow::id));
        StringBuilder page = new StringBuilder();
        page.append(ReportText.HEADER.formatted(Instant.now().truncatedTo(ChronoUnit.SECONDS), scale.label(),
                Runtime.getRuntime().availableProcessors()));
        page.append("| fault | committed | rolled back | observed | lost | doubled | rolled back but observed "
                + "| dead-lettered | time to recover |\n|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (FaultRow row : rows) {
            page.append("| **").append(row.id()).append("** ").append(row.fault()).append(" | ")
                    .append(row.committed()).append(" | ").append(row.rolledBack()).append(" | ")
                    .append(row.observed()).append(" | ").append(row.lost()).append(" | ")
                    .append(row.doubled()).append(" | ").append(row.phantoms()).append(" | ")
                    .append(row.deadLettered()).append(" | ").append(row.recovery()).append(" |\n");
        }
        page.append("\n## What each fault did\n\n");
        for (FaultRow row : rows) {
            page.append("- **").append(row.id()).append("** ").append(row.notes());
            Long millis = DURATIONS.get(row.id());
            if (millis != null) {
                page.append(" (test ran ").append(Math.round(millis / 100.0) / 10.0).append(" s)");
            }
            page.append('\n');
        }
        page.append(ReportText.METHOD);
        return page.toString();
    }
}
