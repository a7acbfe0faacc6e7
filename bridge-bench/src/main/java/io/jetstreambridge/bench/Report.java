package io.jetstreambridge.bench;

import io.jetstreambridge.testing.jta.TestDatabase;
import io.nats.client.Connection;
import io.nats.client.Nats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * docs/benchmarks.md: machine, versions, settings, figures, ratios against the targets of issue 7, and for each
 * figure short of its target what holds it back.
 */
final class Report {

    private final BenchSettings settings;
    private final List<String> environment = new ArrayList<>();
    private final List<String> figures = new ArrayList<>();
    private final List<String> shortfalls = new ArrayList<>();
    private final List<String> details = new ArrayList<>();
    private RawBaselines.Result b0;
    private JitWarmUp.Result b3Warm;
    private String finish = "";

    Report(BenchSettings settings) {
        this.settings = settings;
    }

    void environment(Connection connection) {
        environment.add("| machine | " + cpu() + ", " + Runtime.getRuntime().availableProcessors() + " cores, "
                + memTotal() + " RAM, " + System.getProperty("os.name") + " " + System.getProperty("os.version")
                + " |");
        environment.add("| load average at start | " + loadAverage() + " (other processes on the machine "
                + "make every figure noisier; ratios suffer less) |");
        environment.add("| Java | " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                + ", max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB |");
        environment.add("| NATS | nats-server " + connection.getServerInfo().getVersion() + " (JetStream, file "
                + "storage, loopback), jnats " + Nats.CLIENT_VERSION + " |");
        environment.add("| JTA/JPA | Narayana " + packageVersion("com.arjuna.ats.jta.TransactionManager")
                + ", EclipseLink " + org.eclipse.persistence.Version.getVersion() + ", Weld SE "
                + packageVersion("org.jboss.weld.environment.se.Weld") + " (the tests' JtaContainer/JpaHarness) |");
    }

    void database(TestDatabase database, boolean autovacuumStandIn) {
        try (var connection = database.openConnection()) {
            var meta = connection.getMetaData();
            environment.add("| database | " + meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion()
                    + " on 127.0.0.1, JDBC " + meta.getDriverVersion() + ", pool of 20 (Agroal) |");
            environment.add("| autovacuum | " + (autovacuumStandIn ? "off on this server, so the bench does its "
                    + "work on its tables: `ANALYZE` every " + AutovacuumStandIn.INTERVAL_SECONDS + " s, `VACUUM` every "
                    + AutovacuumStandIn.VACUUM_SECONDS + " s (without it, plans cached while a table was empty scan it as it grows; see "
                    + "docs/operations.md)" : "on (the server's own)") + " |");
        } catch (SQLException e) {
            environment.add("| database | PostgreSQL (version unknown: " + e.getMessage() + ") |");
        }
    }

    void b0(RawBaselines.Result result) {
        b0 = result;
        figures.add(row("B0", "raw jnats synchronous publish (`Nats-Msg-Id`, one ack at a time)",
                Figures.rate(result.syncPublish()), "", "ceiling"));
        figures.add(row("B0", "raw jnats `publishAsync`, " + RawBaselines.WINDOW + " in flight",
                Figures.rate(result.asyncPublish()), "", "ceiling"));
        figures.add(row("B0", "raw jnats pull `fetch(" + RawBaselines.FETCH + ")` + `ack()`",
                Figures.rate(result.fetchAck()), "", "ceiling"));
    }

    void b1(PublisherBench.Result result) {
        double syncBase = b0 == null ? 0 : b0.syncPublish();
        double asyncBase = b0 == null ? 0 : b0.asyncPublish();
        figures.add(row("B1", "`Publisher.publish` (direct, waits for the ack)", Figures.rate(result.syncPublish()),
                Figures.ratio(result.syncPublish(), syncBase) + " of B0 sync", "≥ 0.9×"));
        figures.add(row("B1", "`Publisher.publishAll` (direct, pipelined, window " + "1024)",
                Figures.rate(result.publishAll()), Figures.ratio(result.publishAll(), asyncBase)
                        + " of B0 `publishAsync`", "≥ 0.9×"));
        shortfall(result.syncPublish(), syncBase, 0.9, "B1 `publish`", "Each call builds the envelope (a random "
                + "UUID from `SecureRandom`, a trace id, the payload in JSON-P, the envelope's text) before the same "
                + "synchronous round trip as raw jnats, which sends a prebuilt byte array; the round trip itself is "
                + "jnats' own synchronous publish, with no future chain or timer around it.");
        shortfall(result.publishAll(), asyncBase, 0.9, "B1 `publishAll`", "`publishAll` builds and checks every "
                + "envelope before it sends the first one (a payload that cannot be written throws before anything "
                + "is sent), so that work does not overlap with the acks, while raw jnats sends a prebuilt byte "
                + "array. The ack path now costs what raw jnats' does: ack timeouts are one sweep per tick instead "
                + "of a timer per event (`orTimeout` took a quarter of the ack thread's time), and a full window "
                + "waits on its own oldest event instead of being woken by every ack. A flight recording puts the "
                + "rest in building the envelope: the event id (a UUID from `SecureRandom`, kept on purpose: a "
                + "weaker id risks a collision that JetStream's duplicate window would drop as a copy), the "
                + "`occurred_at` text, the payload mapping and the envelope's text (both written without JSON-B "
                + "or a JSON-P generator for common payloads).");
    }

    void b2(RelayBench.Result result) {
        double base = b0 == null ? 0 : b0.asyncPublish();
        figures.add(row("B2", "outbox relay drain of " + String.format("%,d", result.rows()) + " pending rows "
                        + "until acked and marked sent (batch " + result.batchSize() + ", window " + result.window()
                        + ")", Figures.rate(result.perSecond()),
                Figures.ratio(result.perSecond(), base) + " of B0 `publishAsync`", "≥ 0.5×"));
        shortfall(result.perSecond(), base, 0.5, "B2 relay", "Per round of " + result.batchSize() + " rows on "
                + "PostgreSQL: one transaction that reads and locks the rows (`SELECT … FOR UPDATE SKIP LOCKED`), "
                + "publishes them pipelined while it holds the locks, marks them sent in one UPDATE over two arrays and commits "
                + "(one write per row, no lease), and two such rounds run at once so one's database work overlaps "
                + "the other's acks. During the drain the cores were used as follows: " + result.cpu().describe()
                + ". A flight recording shows the relay's own Java code small beside the waits: "
                + "what remains is PostgreSQL's work per row (locking it, then an UPDATE that changes the indexed "
                + "`status`, so every index of the table gets a new entry) and a commit per round, on the same 2 "
                + "cores as nats-server. (The mark-sent JPQL `CASE` update it replaced cost more than the "
                + "publishes: EclipseLink binds its 1,000 parameters in quadratic time.)");
    }

    void b4(List<ConsumerBench.Result> results) {
        ConsumerBench.Result best = null;
        for (ConsumerBench.Result result : results) {
            figures.add(row("B4", "consumer with inbox on PostgreSQL, " + result.setting().name() + ", "
                            + String.format("%,d", result.events()) + " events", Figures.rate(result.perSecond()),
                    Figures.ratio(result.perSecond(), result.rawFetchAck()) + " of raw fetch + ack just before ("
                            + Figures.rate(result.rawFetchAck()) + ")", "≥ 0.25×"));
            if (!result.setting().perMessage() && (best == null
                    || result.perSecond() / result.rawFetchAck() > best.perSecond() / best.rawFetchAck())) {
                best = result;
            }
        }
        if (best != null) {
            shortfall(best.perSecond(), best.rawFetchAck(), 0.25, "B4 consumer (best setting)", "Per batch: one "
                    + "JTA transaction (Narayana), one locking `SELECT … IN (…)` for the inbox, one JDBC batch of "
                    + "inserts, one commit; per event the envelope decoded by JSON-P, a keep-alive timer, the CDI "
                    + "event resolved and fired with two qualifiers, and an ack. Raw fetch + ack touches no database "
                    + "and parses nothing; here PostgreSQL, nats-server and the JVM share 2 cores. Compare the one-"
                    + "transaction-per-message line: batching is what moved this figure. During that run the cores "
                    + "were used as follows: " + best.cpu().describe() + String.format("; per event %.0f µs of PostgreSQL CPU "
                    + "and %.0f µs of the JVM's.", best.cpu().microsPerEvent("PostgreSQL", best.perSecond()),
                    best.cpu().microsPerEvent("bench JVM", best.perSecond())));
        }
    }

    void b3(EndToEndBench.Result result) {
        b3Warm = result.warmUp();
        figures.add(row("B3", "end to end, " + EndToEndBench.WRITERS + " writers, outbox → relay → JetStream → "
                        + "consumer with inbox (batch " + EndToEndBench.BATCH_SIZE + ", concurrency "
                        + EndToEndBench.CONCURRENCY + "): sustained maximum" + (result.drained() ? ""
                        : " (the consumer did not catch up within 3 minutes)"), Figures.rate(result.sustained()), "",
                "≥ 10,000/s"));
        figures.add(row("B3", "business commits per second with the outbox", Figures.rate(result.commitsWithOutbox()),
                Figures.ratio(result.commitsWithOutbox(), result.commitsWithoutPublishing())
                        + " of the same commits without publishing", "≥ 0.7×"));
        figures.add(row("B3", "business commits per second without publishing",
                Figures.rate(result.commitsWithoutPublishing()), "", "ceiling"));
        for (EndToEndBench.Latency l : result.latencies()) {
            figures.add(row("B3", "commit-to-observer latency at " + l.percent() + " % of the maximum (target "
                            + Figures.rate(l.targetRate()) + ", achieved " + Figures.rate(l.achievedRate()) + ", "
                            + String.format("%,d", l.events()) + " events, outbox backlog peak "
                            + String.format("%,d", l.outboxBacklogPeak()) + " rows)",
                    "p50 " + Figures.millis(l.p50()) + ", p95 " + Figures.millis(l.p95()) + ", p99 "
                            + Figures.millis(l.p99()), "", l.percent() == 50 ? "p99 ≤ 100 ms" : ""));
        }
        if (result.sustained() < 10_000) {
            CpuSplit.Result atMax = result.cpuAtMaximum();
            CpuSplit.Result plain = result.cpuWithoutPublishing();
            shortfalls.add("- **B3 sustained maximum** " + Figures.rate(result.sustained()) + " < 10,000/s: every "
                    + "event costs the writer's transaction (business row + outbox row through EclipseLink, one "
                    + "commit), the relay's locked claim and mark-sent, a JetStream store, and the consumer's inbox "
                    + "claim, insert and commit. During the full-speed run the cores were used as follows: "
                    + atMax.describe() + ". The largest share is " + atMax.largest() + "; per event, "
                    + String.format("%.0f µs of PostgreSQL CPU, against %.0f µs per business commit "
                            + "without publishing, and %.0f µs of the JVM's (writers, relay and consumer, with EclipseLink "
                            + "and Narayana per transaction), against %.0f µs", atMax.microsPerEvent("PostgreSQL",
                            result.sustained()), plain.microsPerEvent("PostgreSQL", result.commitsWithoutPublishing()),
                            atMax.microsPerEvent("bench JVM", result.sustained()), plain.microsPerEvent("bench JVM",
                            result.commitsWithoutPublishing()))
                    + ". Each event writes three rows with their indexes (the outbox row, its sent version, the "
                    + "inbox row) and shares three commits (the writer's, a relay round's, a consumer batch's), on "
                    + "the same 2 cores as nats-server.");
        }
        if (result.commitsWithoutPublishing() > 0
                && result.commitsWithOutbox() < 0.7 * result.commitsWithoutPublishing()) {
            shortfalls.add("- **B3 cost to the application** " + Figures.ratio(result.commitsWithOutbox(),
                    result.commitsWithoutPublishing()) + " < 0.7×: without publishing the writers alone used "
                    + result.cpuWithoutPublishing().describe() + "; with the outbox each commit also inserts the "
                    + "outbox row, and the relay, the consumer (with their own transactions) and nats-server take "
                    + "the same 2 cores and the same PostgreSQL from the writers. On a machine where the database "
                    + "and NATS have cores of their own the ratio would be the writers' own cost: one more INSERT "
                    + "per transaction.");
        }
        result.latencies().stream().filter(l -> l.percent() == 50 && l.p99() > 100_000_000).findFirst()
                .ifPresent(l -> shortfalls.add("- **B3 p99 at half load** " + Figures.millis(l.p99())
                        + " > 100 ms" + (l.outboxBacklogPeak() > l.targetRate()
                                ? ": the outbox backlog reached " + String.format("%,d", l.outboxBacklogPeak())
                                + " rows, more than a second of events: the fast path (one round at a time: a claim "
                                + "transaction, the publishes and their acks, a mark-sent transaction) did not keep up "
                                + "at this rate, rows waited for the sweeper (after the 10 s grace period), and the "
                                + "sustained maximum above, which includes that catch-up, overstates what the fast "
                                + "path alone sustains. Next steps: overlap a round's claim with the previous round's "
                                + "acks, or run two rounds at once."
                                : ": the relay kept up (outbox backlog peak " + String.format("%,d",
                                l.outboxBacklogPeak()) + " rows); the time is the fast path's round (two database "
                                + "transactions and the acks), the consumer's fetch (up to 20 ms to fill a batch "
                                + "after its first message) and the batch's transaction, with 8 writers, relay, "
                                + "consumer, PostgreSQL and nats-server on 2 cores.")));
    }

    void memory(MemoryBench.Result result) {
        StringBuilder samples = new StringBuilder();
        for (MemoryBench.Sample s : result.samples()) {
            samples.append(String.format("| %,d | %,d MiB | %,d MiB |%n", s.events(), s.liveHeapMiB(), s.rssMiB()));
        }
        details.add("### Memory over " + String.format("%,d", result.events()) + " events\n\n"
                + "Direct publisher and consumer with inbox (batch 100, concurrency 2) in the same JVM; the live "
                + "heap is read after a full collection.\n\n| events | live heap | RSS |\n|---:|---:|---:|\n"
                + samples + "\nLive heap growth from the first tenth to the end: " + result.growthMiB() + " MiB"
                + (Math.abs(result.growthMiB()) <= 16 ? " (no growth)." : " (**grows**)."));
        figures.add(row("MEM", "live heap growth over " + String.format("%,d", result.events()) + " events",
                result.growthMiB() + " MiB", "", "no growth"));
    }

    void finish(Instant began, long peakRssMiB) {
        figures.add(row("MEM", "peak RSS of the JVM (bench, container, engines and clients)", peakRssMiB + " MiB",
                "", "report"));
        environment.add("| load average at end | " + loadAverage() + " |");
        finish = "Run " + began + ", took " + Duration.between(began, Instant.now()).toSeconds() + " s.";
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Generated by `bash .ci/bench.sh").append(settings.mode().equals("quick") ? " --quick" : "")
                .append("` (mode **").append(settings.mode()).append("**); do not edit by hand, run it again. ")
                .append(finish).append("\n\n");
        md.append("Every ratio compares with raw jnats measured in the same run on the same server, so it holds "
                + "on other machines; the absolute figures are this machine's. Targets are from issue 7: "
                + "benchmarks report, they do not fail.\n\n");
        md.append("## Machine and versions\n\n| | |\n|---|---|\n");
        environment.forEach(line -> md.append(line).append('\n'));
        md.append("\n## Settings\n\n");
        md.append(String.format("- B0/B1: %,d synchronous and %,d pipelined publishes each, after a warm-up of a "
                        + "fifth of each, in %d rounds where raw jnats and the bridge take turns (the one going first "
                        + "changes every round); each figure is the median of its rounds, so the machine's drift "
                        + "does not end up in the ratios. B0 bodies %d bytes, B1 envelopes about 300 bytes; B0 "
                        + "fetches and acks %,d of the stored messages.%n",
                settings.syncPublishes(), settings.asyncPublishes(), PublishRounds.ROUNDS, RawBaselines.MESSAGE_SIZE,
                settings.asyncPublishes()));
        md.append(String.format("- B2: %,d pending rows, default relay settings.%n", settings.relayRows()));
        md.append(String.format("- B3: %s per run, %d writer threads, bridge defaults except the consumer's batch "
                        + "size and concurrency; first warmed in steps of 10 s until JIT compilation took under 5 %% "
                        + "of a step (at most six run lengths)%s.%n", settings.endToEndRun(), EndToEndBench.WRITERS,
                b3Warm == null ? "" : ": " + b3Warm.describe()));
        md.append(String.format("- B4: %,d events per batched setting, %,d with one transaction per message; the "
                + "observer does nothing but count. Right before each setting raw jnats fetches and acks as many "
                + "fresh messages as the batched settings consume (`fetch(%d)`), and the setting's ratio is taken "
                + "against that figure, so the machine's drift during the run does not end up in the ratio.%n",
                settings.consumerEvents(),
                settings.perMessageEvents(), RawBaselines.FETCH));
        md.append(String.format("- Memory: %,d events.%n", settings.memoryEvents()));
        md.append("\n## Figures\n\n| | what | figure | ratio | target |\n|---|---|---:|---|---|\n");
        figures.forEach(line -> md.append(line).append('\n'));
        md.append("\n## Where a figure falls short\n\n");
        if (shortfalls.isEmpty()) {
            md.append("Every measured figure meets its target.\n");
        } else {
            shortfalls.forEach(line -> md.append(line).append('\n'));
        }
        details.forEach(d -> md.append('\n').append(d).append('\n'));
        return md.toString();
    }

    private void shortfall(double value, double base, double target, String name, String why) {
        if (base > 0 && value < target * base) {
            shortfalls.add("- **" + name + "** " + Figures.ratio(value, base) + " < " + target + "×: " + why);
        }
    }

    private static String row(String id, String what, String figure, String ratio, String target) {
        return "| " + id + " | " + what + " | " + figure + " | " + ratio + " | " + target + " |";
    }

    private static String cpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String memTotal() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("\\D", "")) / (1024 * 1024) + " GiB")
                    .orElse("?");
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static String packageVersion(String className) {
        try {
            String version = Class.forName(className).getPackage().getImplementationVersion();
            return version == null ? "(version not in the jar manifest)" : version;
        } catch (ClassNotFoundException e) {
            return "(not found)";
        }
    }
}
