package io.jetstreambridge.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The scaling run's section of {@code docs/scaling.md}, between {@link #BEGIN} and {@link #END}: replaced in place,
 * so the page's other sections (the cost table and the model, which the bench generates, and text written by hand)
 * stay as they are. A page that does not exist yet is created with a title and the section.
 */
final class ScalingPage {

    static final String BEGIN = "<!-- check:begin -->";
    static final String END = "<!-- check:end -->";

    private static final String METHOD = """

            How it is measured: each configuration gets a fresh nats-server (or a 3-node cluster with the stream \
            replicated 3 times) and a fresh schema in a PostgreSQL cluster of the run's own (`initdb` under \
            `bridge-reliability/target/`, so that all of its CPU is the run's); the consuming and then the publishing \
            application start, each instance in a JVM of its own as the fault suite starts them (`FaultApp`), every \
            publisher instance relaying from the one outbox table and every consumer instance on the one durable and \
            the one inbox table. Once all are up, the writers start together and commit business transactions (a row \
            and its event through the outbox) as fast as they can: a closed loop. After the warm-up the window opens; \
            committed is counted in the publisher's table and consumed in the observer's table (PostgreSQL, as the \
            fault suite counts effects) when it opens and when it closes. End to end is the slower of the two rates. \
            CPU is user + system time from `/proc/<pid>/stat` over the same window (`ProcCpu`, the bench's reader): \
            the application JVMs by process id, the nats-servers by process id, PostgreSQL as its postmaster, every \
            child and the children that ended; the machine's busy and idle time from `/proc/stat`, and "other \
            processes" is the machine's busy time that none of these took (other work on a shared machine). \
            Saturated: under 5 % of the cores' time idle. "Cores the run got" is what the applications, the \
            nats-servers and PostgreSQL took (not the suite's JVM, which only counts), and the forecast on those cores \
            scales the forecast by them over the host's cores, as a CPU-bound model does: on a shared machine it \
            tells the model's error apart from what other work took. Per event, the publisher JVMs' CPU is divided \
            by the committed rate, the consumer JVMs' by the consumed rate and the shared servers' by the mean of the two; \
            "JIT" is the part of a JVM group's CPU its JIT compiler threads took (still compiling after the warm-up \
            is a cost the bench's long-warmed JVM does not pay). \
            Then the writers stop, the flow settles, and every committed event must have been observed exactly once: \
            a lost or doubled event fails the run. The figures are measured, never asserted: a slow or busy machine \
            gives lower figures, not a failure.
            """;

    private ScalingPage() {
    }

    /** Writes {@code section} into the page at {@code file}, creating the page if needed. */
    static void write(Path file, String section) {
        try {
            String page = Files.exists(file) ? Files.readString(file) : "# Scaling\n\n" + BEGIN + "\n" + END + "\n";
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, replaceSection(page, section));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The page with the text between the markers replaced; without markers the section is appended with them. */
    static String replaceSection(String page, String section) {
        int begin = page.indexOf(BEGIN);
        int end = page.indexOf(END);
        String body = BEGIN + "\n" + (section.endsWith("\n") ? section : section + "\n") + END;
        if (begin < 0 && end < 0) {
            return page + (page.endsWith("\n") ? "\n" : "\n\n") + body + "\n";
        }
        if (begin < 0 || end < begin || page.indexOf(BEGIN, begin + 1) >= 0 || page.indexOf(END, end + 1) >= 0) {
            throw new IllegalStateException("the page must hold " + BEGIN + " once, followed by " + END
                    + " once; fix the markers by hand");
        }
        return page.substring(0, begin) + body + page.substring(end + END.length());
    }

    /** The section: the side-by-side table, the CPU by process group, and how it was measured. */
    static String render(List<ScalingResult> results, CostTable costs, String forecastName, String header) {
        StringBuilder text = new StringBuilder("## The model checked: more instances, and an R3 stream\n\n");
        text.append(header).append("\n\n");
        text.append("| configuration | writers | committed/s | consumed/s | end to end/s | forecast/s | error "
                + "| bottleneck the forecast names | cores the run got | forecast on those cores/s | error on them "
                + "| machine busy (cores) | saturated | lost | doubled |\n");
        text.append("|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---|---:|---:|\n");
        for (ScalingResult r : results) {
            text.append(fmt("| %s | %d | %.0f | %.0f | **%.0f** | %.0f | %+.0f %% | %s | %.2f | %.0f | %+.0f %% "
                            + "| %.2f of %d | %s | %d | %d |%n",
                    r.label(), r.writersPerInstance() * r.instances(), r.committedPerSecond(), r.consumedPerSecond(),
                    r.endToEndPerSecond(), r.forecast().eventsPerSecond(), r.errorPercent(), r.forecast().bottleneck(),
                    r.runCores(), r.forecastOnRunCores(), r.errorOnRunCoresPercent(),
                    r.cpu().machineBusy(), r.cpu().available(),
                    r.cpu().saturated() ? "yes" : fmt("no (%.0f %% idle)", 100 * r.cpu().idleShare()),
                    r.tally().lost(), r.tally().doubled()));
        }
        text.append("\n### CPU by process group over the window (cores busy)\n\n");
        text.append("| configuration | publisher JVMs | consumer JVMs | nats-server(s) | PostgreSQL | suite JVM "
                + "| other processes | machine | the run's largest |\n|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (ScalingResult r : results) {
            GroupCpu.Usage cpu = r.cpu();
            text.append(fmt("| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %s |%n", r.label(),
                    cpu.of(ScalingResult.PUBLISHERS), cpu.of(ScalingResult.CONSUMERS), cpu.of(ScalingResult.NATS),
                    cpu.of(GroupCpu.POSTGRES), cpu.of(GroupCpu.SUITE), cpu.others(), cpu.machineBusy(),
                    r.largestGroup()));
        }
        text.append("\n### CPU per event: measured beside the cost table (µs)\n\n");
        text.append("| configuration | publisher JVMs (table: writer + relay) | consumer JVMs (table: consumer) "
                + "| nats-server(s) (table: store x replicas + deliver) | PostgreSQL (table: both sides) |\n"
                + "|---|---:|---:|---:|---:|\n");
        for (ScalingResult r : results) {
            text.append(fmt("| %s | %.0f, JIT %.0f (%.0f) | %.0f, JIT %.0f (%.0f) | %.0f (%.0f) | %.0f (%.0f) |%n",
                    r.label(), r.microsPerEvent(ScalingResult.PUBLISHERS),
                    r.jitMicrosPerEvent(ScalingResult.PUBLISHERS), costs.publisherJvm(),
                    r.microsPerEvent(ScalingResult.CONSUMERS), r.jitMicrosPerEvent(ScalingResult.CONSUMERS),
                    costs.consumerJvm(),
                    r.microsPerEvent(ScalingResult.NATS), costs.natsServers(r.replicas()),
                    r.microsPerEvent(GroupCpu.POSTGRES), costs.postgres()));
        }
        text.append("\n### The runs\n\n");
        for (ScalingResult r : results) {
            text.append(fmt("- **%s**: %,d committed and %,d consumed in the window of %.1f s; in flight (committed, "
                            + "not yet observed) %,d when it opened and %,d when it closed; after the writers stopped "
                            + "and the flow settled: %s (run took %.0f s).%n", r.label(), r.committedInWindow(),
                    r.consumedInWindow(), r.cpu().seconds(), r.inFlightAtStart(), r.inFlightAtEnd(),
                    r.tally().describe(), r.runMillis() / 1000.0));
        }
        text.append("\nForecast: ").append(forecastName).append(", from `")
                .append(costs.source().getFileName()).append("` (µs of CPU per event:");
        costs.micros().forEach((key, micros) -> text.append(fmt(" %s %.0f,", key, micros)));
        text.setLength(text.length() - 1);
        text.append(").\n");
        text.append(METHOD);
        return text.toString();
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
