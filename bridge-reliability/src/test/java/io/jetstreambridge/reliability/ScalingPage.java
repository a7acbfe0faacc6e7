package io.jetstreambridge.reliability;

import io.jetstreambridge.testing.capacity.GeneratedSection;
import io.jetstreambridge.testing.capacity.CapacityModel;
import io.jetstreambridge.testing.capacity.CostKey;

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

    static final String SECTION = "check";
    static final String BEGIN = GeneratedSection.begin(SECTION);
    static final String END = GeneratedSection.end(SECTION);

    private static final String METHOD = """

            How it is measured: each configuration gets a fresh nats-server (or a 3-node cluster with the stream \
            replicated 3 times) and a fresh schema in a PostgreSQL cluster of the run's own (`initdb` under \
            `bridge-reliability/target/`, so that all of its CPU is the run's, set up as the bench's: \
            `PrivatePostgres.MEASURING`); the consuming and then the publishing \
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
            is the model's given those cores instead of the machine's (the latency limits stay): on a shared machine \
            it tells the model's error apart from what other work took. The writer's transaction time is the \
            writers over their commits per second (Little's law, as the bench's `writer.tx_ms`). Per event, the \
            publisher JVMs' CPU is divided by the committed rate, the consumer JVMs' by the consumed rate and the \
            shared servers' by the mean of the two; \
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

    /** The page with the check's section replaced ({@link GeneratedSection}); without markers it is appended. */
    static String replaceSection(String page, String section) {
        return GeneratedSection.replace(page, SECTION, section);
    }

    /** The section: the side-by-side table, why the figures differ, the CPU by process group, how it was measured. */
    static String render(List<ScalingResult> results, String costsFile, String header) {
        StringBuilder text = new StringBuilder("## The model checked: more instances, and an R3 stream\n\n");
        text.append(header).append("\n\n");
        text.append("| configuration | writers | committed/s | consumed/s | end to end/s | forecast/s | error "
                + "| the limit the forecast names (next) | cores the run got | forecast on those cores/s "
                + "| error on them | machine busy (cores) | saturated | lost | doubled |\n");
        text.append("|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---|---:|---:|\n");
        for (ScalingResult r : results) {
            CapacityModel.Forecast forecast = r.forecast();
            CapacityModel.Forecast onRunCores = r.forecastOnRunCores();
            text.append(fmt("| %s | %d | %.0f | %.0f | **%.0f** | %.0f | %+.0f %% | %s (%s, %.0f/s) | %.2f "
                            + "| %.0f (%s) | %+.0f %% | %.2f of %d | %s | %d | %d |%n",
                    r.label(), r.host().writersPerInstance() * r.instances(), r.committedPerSecond(),
                    r.consumedPerSecond(), r.endToEndPerSecond(), forecast.eventsPerSecond(), r.errorPercent(),
                    forecast.bottleneck(), forecast.next().name(), forecast.next().eventsPerSecond(), r.runCores(),
                    onRunCores.eventsPerSecond(), onRunCores.bottleneck(), r.errorOnRunCoresPercent(),
                    r.cpu().machineBusy(), r.cpu().available(),
                    r.cpu().saturated() ? "yes" : fmt("no (%.0f %% idle)", 100 * r.cpu().idleShare()),
                    r.tally().lost(), r.tally().doubled()));
        }
        text.append("\n### Why the measured rate differs from the forecast\n\n");
        for (ScalingResult r : results) {
            text.append("- ").append(explain(r)).append('\n');
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
        text.append("\n### CPU per event: measured (the model's cost table in brackets, µs)\n\n");
        text.append("| configuration | publisher JVMs (writer + relay) | consumer JVMs (consumer) "
                + "| nats-server(s) (in-flow store + deliver, × replicas factors) | PostgreSQL (both sides) | all "
                + "| writer's transaction, ms (`writer.tx_ms`) |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (ScalingResult r : results) {
            text.append(fmt("| %s | %.0f, JIT %.0f (%.0f) | %.0f, JIT %.0f (%.0f) | %.0f (%.0f) | %.0f (%.0f) "
                            + "| %.0f (%.0f) | %.2f (%s) |%n",
                    r.label(), r.microsPerEvent(ScalingResult.PUBLISHERS),
                    r.jitMicrosPerEvent(ScalingResult.PUBLISHERS), r.modelMicrosPerEvent(ScalingResult.PUBLISHERS),
                    r.microsPerEvent(ScalingResult.CONSUMERS), r.jitMicrosPerEvent(ScalingResult.CONSUMERS),
                    r.modelMicrosPerEvent(ScalingResult.CONSUMERS),
                    r.microsPerEvent(ScalingResult.NATS), r.modelMicrosPerEvent(ScalingResult.NATS),
                    r.microsPerEvent(GroupCpu.POSTGRES), r.modelMicrosPerEvent(GroupCpu.POSTGRES),
                    r.measuredMicrosPerEvent(), r.model().cpuPerEvent(r.replicas()), r.writerTxMs(),
                    r.model().costs().text(CostKey.WRITER_TX_MS)));
        }
        text.append("\n### The runs\n\n");
        for (ScalingResult r : results) {
            text.append(fmt("- **%s**: warm-up %.0f s; %,d committed and %,d consumed in the window of %.1f s; in "
                            + "flight (committed, not yet observed) %,d when it opened and %,d when it closed; after "
                            + "the writers stopped and the flow settled: %s (run took %.0f s).%n", r.label(),
                    r.warmUpMillis() / 1000.0, r.committedInWindow(), r.consumedInWindow(), r.cpu().seconds(),
                    r.inFlightAtStart(), r.inFlightAtEnd(), r.tally().describe(), r.runMillis() / 1000.0));
        }
        text.append("\nForecast: `CapacityModel.forecast(SharedHost)` (the shared-host variant of the model above: "
                + "the smallest of the host's cores over every party's CPU per event and the writers', relays' and "
                + "consumer workers' limits), given each configuration's instances, replicas, this machine's cores "
                + "and the run's settings, from `").append(costsFile).append("`.\n");
        text.append(METHOD);
        return text.toString();
    }

    /**
     * A sentence or two from what the run measured: how busy the machine was, the cores the run got, its CPU per
     * event against the model's (a CPU-bound rate is the one over the other), the party that cost most beyond the
     * model, and the writers' transaction time against the bench's.
     */
    static String explain(ScalingResult r) {
        GroupCpu.Usage cpu = r.cpu();
        String excess = r.largestExcess();
        double measured = r.measuredMicrosPerEvent();
        double cpuBound = measured <= 0 ? 0 : r.runCores() / measured * 1_000_000;
        String jit = excess.equals(ScalingResult.PUBLISHERS) || excess.equals(ScalingResult.CONSUMERS)
                ? fmt(", of it JIT compilation %.0f µs", r.jitMicrosPerEvent(excess)) : "";
        return fmt("**%s**: the machine was %s and other work took %.2f cores, so the run's processes got %.2f of "
                        + "%d; they spent %.0f µs of CPU per event against the model's %.0f (%s the most beyond it: "
                        + "%.0f µs against %.0f%s), and %.2f cores / %.0f µs = %.0f/s, the measured %.0f/s being "
                        + "the slower side's. The writers' transaction took %.1f ms (the bench's `writer.tx_ms`: "
                        + "%s ms); the model's first limit on those cores: %s.",
                r.label(), cpu.saturated() ? "saturated" : fmt("%.0f %% idle", 100 * cpu.idleShare()),
                cpu.others(), r.runCores(), cpu.available(), measured, r.model().cpuPerEvent(r.replicas()), excess,
                r.microsPerEvent(excess), r.modelMicrosPerEvent(excess), jit, r.runCores(), measured, cpuBound,
                r.endToEndPerSecond(), r.writerTxMs(), r.model().costs().text(CostKey.WRITER_TX_MS),
                r.forecastOnRunCores().bottleneck());
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
