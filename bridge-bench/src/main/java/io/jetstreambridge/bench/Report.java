package io.jetstreambridge.bench;

import io.jetstreambridge.testing.jta.JpaHarness;
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
 * docs/benchmarks.md: machine, versions, settings, figures, ratios against the targets of issue 15, PostgreSQL's
 * server time per statement for B2, B3p/B3 and B4, and for each figure short of its target what the measurements
 * say holds it back.
 */
final class Report {

    /** How many statements each part's table lists; the rest are summed in one line. */
    private static final int STATEMENT_ROWS = 8;

    /** One part of the per-statement section. */
    private record Part(String name, String unit, Usage usage) {
    }

    private final BenchSettings settings;
    private final List<String> environment = new ArrayList<>();
    private final List<String> figures = new ArrayList<>();
    private final List<String> shortfalls = new ArrayList<>();
    private final List<Part> parts = new ArrayList<>();
    private final List<String> details = new ArrayList<>();
    private RawBaselines.Result b0;
    private final List<String> b3Warm = new ArrayList<>();
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
    }

    void database(BenchDatabase database, List<JpaHarness.Provider> providers) {
        StringBuilder jpa = new StringBuilder("| JTA/JPA | Narayana " + packageVersion(
                "com.arjuna.ats.jta.TransactionManager") + ", Weld SE " + packageVersion(
                "org.jboss.weld.environment.se.Weld") + " (the tests' JtaContainer/JpaHarness); ");
        for (int i = 0; i < providers.size(); i++) {
            JpaHarness.Provider provider = providers.get(i);
            jpa.append(i == 0 ? "" : ", ").append(Bench.name(provider)).append(' ').append(
                    provider == JpaHarness.Provider.HIBERNATE ? packageVersion("org.hibernate.Version")
                            : org.eclipse.persistence.Version.getVersion());
        }
        jpa.append(providers.size() > 1 ? " (B2 and B3 on each; B4 and memory on " + Bench.name(providers.get(0))
                + ")" : "").append(" |");
        environment.add(jpa.toString());
        try (var connection = database.anySchema().openConnection()) {
            var meta = connection.getMetaData();
            StringBuilder shown = new StringBuilder();
            for (String setting : List.of("shared_buffers", "fsync", "synchronous_commit", "autovacuum", "autovacuum_naptime",
                    "shared_preload_libraries", "pg_stat_statements.track_planning")) {
                try (var statement = connection.createStatement();
                     var rows = statement.executeQuery("SHOW " + setting)) {
                    rows.next();
                    shown.append(shown.length() == 0 ? "" : ", ").append(setting).append(' ').append(rows.getString(1));
                }
            }
            environment.add("| database | " + meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion()
                    + ", the bench's own cluster (`initdb` into bridge-bench/target/postgres, 127.0.0.1:"
                    + database.port() + "): initdb's defaults and " + String.join(", ", BenchDatabase.SETTINGS
                    .entrySet().stream().map(e -> e.getKey() + " = " + e.getValue()).toList()) + " (" + shown
                    + "); JDBC " + meta.getDriverVersion() + ", pool of 20 (Agroal) per provider |");
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
        // no database here and no CPU split: what a flight recording of this path showed
        shortfall(result.syncPublish(), syncBase, 0.9, "B1 `publish`", "Each call builds the envelope (a random "
                + "UUID from `SecureRandom`, a trace id, the payload in JSON-P, the envelope's text) before the same "
                + "synchronous round trip as raw jnats, which sends a prebuilt byte array; the round trip itself is "
                + "jnats' own synchronous publish, with no future chain or timer around it.");
        shortfall(result.publishAll(), asyncBase, 0.9, "B1 `publishAll`", "`publishAll` builds and checks every "
                + "envelope before it sends the first one (the `Publisher` contract: a payload that cannot be written "
                + "throws before anything is sent), so that work does not overlap with the acks, while raw jnats "
                + "sends a prebuilt byte array. Thread CPU time per event of the building steps, measured apart from "
                + "this run (2026-12-06): payload mapping 0.35 µs, envelope 0.4 µs (its `occurred_at` text now "
                + "written once per second), envelope text 0.85 µs, message and publish options 0.12 µs: about "
                + "1.7 µs of a gap that was 2.4 µs an event; the event id stays a UUID from `SecureRandom` (a weaker "
                + "id risks a collision that JetStream's duplicate window would drop as a copy). The rest, not "
                + "measured apart, is on the ack path: the futures chained per event around jnats' own.");
    }

    void b2(RelayBench.Result result) {
        double base = b0 == null ? 0 : b0.asyncPublish();
        String name = "B2 relay drain (" + result.provider() + ")";
        figures.add(row("B2", "outbox relay drain of " + String.format("%,d", result.rows()) + " pending rows "
                        + "until acked and deleted (batch " + result.batchSize() + ", window " + result.window()
                        + "), " + result.provider(), Figures.rate(result.perSecond()),
                Figures.ratio(result.perSecond(), base) + " of B0 `publishAsync`", "≥ 0.5×"));
        parts.add(new Part(name, "event", result.usage()));
        shortfall(result.perSecond(), base, 0.5, name, "per round of " + result.batchSize() + " rows the relay "
                + "reads and locks the rows (`SELECT … FOR UPDATE SKIP LOCKED`), publishes them pipelined, deletes "
                + "them (`outbox.sent-rows=delete`, the default) and commits; raw `publishAsync` touches no database. " + explain(result.usage(), null));
    }

    void b4(List<ConsumerBench.Result> results) {
        ConsumerBench.Result best = null;
        for (ConsumerBench.Result result : results) {
            boolean defaults = result.setting().name().startsWith("defaults");
            String target = result.setting().perMessage() ? "report" : defaults ? "≥ 0.2×" : "best ≥ 0.4×";
            figures.add(row("B4", "consumer with inbox on PostgreSQL, " + result.setting().name() + ", "
                            + String.format("%,d", result.events()) + " events", Figures.rate(result.perSecond()),
                    Figures.ratio(result.perSecond(), result.rawFetchAck()) + " of raw fetch + ack just before ("
                            + Figures.rate(result.rawFetchAck()) + ")", target));
            parts.add(new Part("B4 consumer, " + result.setting().name(), "event", result.usage()));
            if (defaults) {
                shortfall(result.perSecond(), result.rawFetchAck(), 0.2, "B4 consumer (defaults)", "per batch of "
                        + result.setting().batchSize() + " one JTA transaction with the inbox's lookup, inserts "
                        + "and commit; raw fetch + ack touches no database and parses nothing. "
                        + explain(result.usage(), null));
            }
            if (!result.setting().perMessage() && (best == null
                    || result.perSecond() / result.rawFetchAck() > best.perSecond() / best.rawFetchAck())) {
                best = result;
            }
        }
        if (best != null) {
            shortfall(best.perSecond(), best.rawFetchAck(), 0.4, "B4 consumer (best setting: "
                    + best.setting().name() + ")", "per batch one JTA transaction with the inbox's lookup, "
                    + "inserts and commit, per event the envelope decoded and the CDI event fired; raw fetch + ack "
                    + "touches no database and parses nothing. " + explain(best.usage(), null));
        }
    }

    void b3(EndToEndBench.Result result) {
        String provider = result.provider();
        b3Warm.add(provider + ": " + result.warmUp().describe());
        EndToEndBench.Runs plain = result.withoutPublishing();
        EndToEndBench.Runs producer = result.producerAlone();
        EndToEndBench.Runs endToEnd = result.endToEnd();
        figures.add(row("B3p", "producer side alone, " + EndToEndBench.WRITERS + " writers, business row + outbox "
                        + "row → relay → JetStream (nothing consumes), until stored; writers committed "
                        + Figures.rate(producer.commits()) + ", " + provider, Figures.rate(producer.perSecond()),
                Figures.ratio(producer.perSecond(), plain.perSecond()) + " of the same writers without publishing",
                "≥ 0.8×"));
        figures.add(row("B3", "end to end, " + EndToEndBench.WRITERS + " writers, outbox → relay → JetStream → "
                        + "consumer with inbox (batch " + EndToEndBench.BATCH_SIZE + ", concurrency "
                        + EndToEndBench.CONCURRENCY + "), until observed: sustained maximum; writers committed "
                        + Figures.rate(endToEnd.commits()) + ", " + provider + (result.drained() ? ""
                        : " (a round was not drained within 3 minutes)"), Figures.rate(endToEnd.perSecond()),
                Figures.ratio(endToEnd.perSecond(), plain.perSecond()) + " of the same writers without publishing",
                "≥ 0.6×"));
        figures.add(row("B3", "business commits per second without publishing (the writers alone), " + provider,
                Figures.rate(plain.perSecond()), "", "ceiling"));
        for (EndToEndBench.Latency l : result.latencies()) {
            figures.add(row("B3", "commit-to-observer latency at " + l.percent() + " % of the maximum (target "
                            + Figures.rate(l.targetRate()) + ", achieved " + Figures.rate(l.achievedRate()) + ", "
                            + String.format("%,d", l.events()) + " events, outbox backlog peak "
                            + String.format("%,d", l.outboxBacklogPeak()) + " rows), " + provider,
                    "p50 " + Figures.millis(l.p50()) + ", p95 " + Figures.millis(l.p95()) + ", p99 "
                            + Figures.millis(l.p99()), "", l.percent() == 50 ? "p99 ≤ 50 ms" : ""));
        }
        parts.add(new Part("B3 writers without publishing (" + provider + ")", "commit", plain.usage()));
        parts.add(new Part("B3p producer side alone (" + provider + ")", "event", producer.usage()));
        parts.add(new Part("B3 end to end (" + provider + ")", "event", endToEnd.usage()));
        shortfall(producer.perSecond(), plain.perSecond(), 0.8, "B3p producer side alone (" + provider + ")",
                "each commit also inserts the outbox row, and the relay's claim, publish and delete run on the "
                        + "same cores and the same PostgreSQL as the writers. " + explain(producer.usage(),
                        plain.usage()));
        shortfall(endToEnd.perSecond(), plain.perSecond(), 0.6, "B3 end to end (" + provider + ")",
                "on top of the producer side, the consumer's inbox lookup, insert and commit per batch. "
                        + explain(endToEnd.usage(), plain.usage()));
        result.latencies().stream().filter(l -> l.percent() == 50 && l.p99() > 50_000_000).findFirst()
                .ifPresent(l -> shortfalls.add("- **B3 p99 at half load (" + provider + ")** " + Figures.millis(l.p99())
                        + " > 50 ms: " + (l.outboxBacklogPeak() > l.targetRate()
                                ? "the outbox backlog reached " + String.format("%,d", l.outboxBacklogPeak())
                                + " rows, more than a second of events: the relay's fast path did not keep up at "
                                + "this rate and rows waited for the sweeper."
                                : "the relay kept up (outbox backlog peak " + String.format("%,d",
                                l.outboxBacklogPeak()) + " rows); the time is the relay's round (claim, publishes "
                                + "and acks, the delete), the consumer's fetch (up to 20 ms to fill a batch after "
                                + "its first message) and the batch's transaction, with " + EndToEndBench.WRITERS
                                + " writers, relay, consumer, PostgreSQL and nats-server on "
                                + Runtime.getRuntime().availableProcessors() + " cores.")));
    }

    /**
     * What the measurements say about a part: where the cores went, CPU per event of PostgreSQL and the JVM, the
     * statements' server time per event and the largest statements; against a baseline, what grew the most.
     */
    private static String explain(Usage usage, Usage baseline) {
        String unit = "event"; // B2, B3p, B3 and B4 count events
        StringBuilder text = new StringBuilder("Measured: " + usage.cpu().describe() + String.format(
                "; per %s %.0f µs of PostgreSQL CPU and %.0f µs of the bench JVM's", unit,
                usage.cpuMicrosPerEvent("PostgreSQL"), usage.cpuMicrosPerEvent("bench JVM")));
        if (baseline != null) {
            double database = usage.cpuMicrosPerEvent("PostgreSQL") - baseline.cpuMicrosPerEvent("PostgreSQL");
            double jvm = usage.cpuMicrosPerEvent("bench JVM") - baseline.cpuMicrosPerEvent("bench JVM");
            text.append(String.format(" (the writers alone: %.0f µs and %.0f µs per commit, so publishing added "
                            + "%+.0f µs of PostgreSQL CPU and %+.0f µs of the JVM's per event: the larger share is %s)",
                    baseline.cpuMicrosPerEvent("PostgreSQL"), baseline.cpuMicrosPerEvent("bench JVM"), database, jvm,
                    database >= jvm ? "PostgreSQL's" : "the JVM's"));
        }
        text.append(String.format("; the statements took %.0f µs of server time per %s",
                usage.statements().microsPerEvent(usage.events()), unit));
        if (baseline != null) {
            text.append(String.format(" (%.0f µs per commit alone)",
                    baseline.statements().microsPerEvent(baseline.events())));
            List<String> grown = grown(usage, baseline);
            if (!grown.isEmpty()) {
                text.append(", most added by ").append(String.join(", ", grown));
            }
        } else {
            List<String> largest = usage.statements().statements().stream()
                    .filter(s -> s.millis() >= usage.statements().totalMillis() / 100).limit(3)
                    .map(s -> describe(s, usage.events())).toList();
            if (!largest.isEmpty()) {
                text.append(", the largest ").append(String.join(", ", largest));
            }
        }
        double outside = usage.cpuMicrosPerEvent("PostgreSQL") - usage.statements().microsPerEvent(usage.events());
        if (outside > 0) {
            text.append(String.format("; %.0f µs per %s of PostgreSQL's CPU lie outside the statements (each "
                    + "commit's WAL flush, the protocol, autovacuum and the WAL writer)", outside, unit));
        }
        return text.append(". The per-statement table below has the rest.").toString();
    }

    /** The three statements whose server time per event grew the most over the baseline's. */
    private static List<String> grown(Usage usage, Usage baseline) {
        java.util.Map<String, Double> base = new java.util.HashMap<>();
        baseline.statements().statements().forEach(s -> base.put(s.text(), s.millis() * 1000 / baseline.events()));
        return usage.statements().statements().stream()
                .sorted(java.util.Comparator.comparingDouble((StatementStats.Statement s) ->
                        s.millis() * 1000 / usage.events() - base.getOrDefault(s.text(), 0.0)).reversed())
                .filter(s -> s.millis() * 1000 / usage.events() - base.getOrDefault(s.text(), 0.0) >= 1)
                .limit(3)
                .map(s -> String.format("`%s` (+%.0f µs)", code(s.text()),
                        s.millis() * 1000 / usage.events() - base.getOrDefault(s.text(), 0.0)))
                .toList();
    }

    private static String describe(StatementStats.Statement statement, long events) {
        return String.format("`%s` %.0f µs (%s calls per event)", code(statement.text()),
                statement.millis() * 1000 / events, calls(statement.calls(), events));
    }

    private static String calls(long calls, long events) {
        double perEvent = events <= 0 ? 0 : (double) calls / events;
        return perEvent >= 0.1 ? String.format("%.2f", perEvent) : String.format("%.4f", perEvent);
    }

    private static String code(String text) {
        return text.replace("|", "\\|").replace("`", "'");
    }

    /** The per-statement tables, one per part. */
    private String statementTables() {
        StringBuilder md = new StringBuilder("## Where PostgreSQL's time goes\n\n");
        md.append("From `pg_stat_statements` on the bench's cluster, reset right before each measured part and read "
                + "right after it (B3p/B3: summed over their rounds): per statement (normalized text, lists folded "
                + "to `…`, shortened) its calls and its server time (planning + execution) per event (per commit for "
                + "the writers alone). Server time is elapsed time in the server, waits for a lock, for I/O or for a free "
                + "core included, so on a busy machine it can exceed the CPU. Not in any statement: each commit "
                + "(its WAL flush happens after the statement), the protocol and background work (autovacuum, WAL "
                + "writer); the CPU line of each part shows PostgreSQL's whole CPU per event beside it.\n");
        for (Part part : parts) {
            Usage usage = part.usage();
            long events = usage.events();
            md.append(String.format("%n### %s%n%n%,d %ss; statements %.0f µs per %s; CPU per %s: PostgreSQL "
                            + "%.0f µs, bench JVM %.0f µs, nats-server %.0f µs (%s).%n%n", part.name(), events,
                    part.unit(), usage.statements().microsPerEvent(events), part.unit(), part.unit(),
                    usage.cpuMicrosPerEvent("PostgreSQL"), usage.cpuMicrosPerEvent("bench JVM"),
                    usage.cpuMicrosPerEvent("nats-server"), usage.cpu().describe()));
            md.append("| statement | calls per ").append(part.unit()).append(" | server µs per ").append(part.unit())
                    .append(" | share |\n|---|---:|---:|---:|\n");
            double total = usage.statements().totalMillis();
            List<StatementStats.Statement> statements = usage.statements().statements();
            for (int i = 0; i < Math.min(STATEMENT_ROWS, statements.size()); i++) {
                StatementStats.Statement s = statements.get(i);
                md.append(String.format("| `%s` | %s | %.1f | %.0f %% |%n", code(s.text()), calls(s.calls(), events),
                        events <= 0 ? 0 : s.millis() * 1000 / events, total <= 0 ? 0 : s.millis() * 100 / total));
            }
            if (statements.size() > STATEMENT_ROWS) {
                List<StatementStats.Statement> rest = statements.subList(STATEMENT_ROWS, statements.size());
                double restMillis = rest.stream().mapToDouble(StatementStats.Statement::millis).sum();
                long restCalls = rest.stream().mapToLong(StatementStats.Statement::calls).sum();
                md.append(String.format("| %d other statements | %s | %.1f | %.0f %% |%n", rest.size(),
                        calls(restCalls, events), events <= 0 ? 0 : restMillis * 1000 / events,
                        total <= 0 ? 0 : restMillis * 100 / total));
            }
        }
        return md.toString();
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
                result.growthMiB() + " MiB", "", "flat"));
        if (Math.abs(result.growthMiB()) > 16) {
            shortfalls.add("- **MEM** the live heap grew " + result.growthMiB() + " MiB over "
                    + String.format("%,d", result.events()) + " events (see the table below).");
        }
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
                + "on other machines; the absolute figures are this machine's. Targets are from issue 15: "
                + "benchmarks report, they do not fail. The same run's CPU and round trips per event of each party, "
                + "and the capacity model built on them: [scaling.md](scaling.md).\n\n");
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
        md.append(String.format("- B2: %,d pending rows, default relay settings; B2 and B3 run once per JPA provider "
                + "of the table above.%n", settings.relayRows()));
        md.append(String.format("- B3p/B3: %d writer threads in one application with the outbox and the consumer "
                        + "started, bridge defaults except the consumer's batch size and concurrency; first warmed in "
                        + "steps of 10 s until JIT compilation took under 5 %% of a step (at most six latency-run "
                        + "lengths)%s. Then %d rounds of three runs of %d s each, taking turns (the one going first "
                        + "changes every round): the writers without publishing, the producer side alone (events to a "
                        + "subject nothing consumes, counted until JetStream stored them) and end to end (counted "
                        + "until the observer saw them); each figure is the median of its rounds, as in B0/B1. The "
                        + "latency runs last %d s each.%n", EndToEndBench.WRITERS,
                b3Warm.isEmpty() ? "" : ": " + String.join("; ", b3Warm), EndToEndBench.ROUNDS,
                settings.endToEndRound().toSeconds(), settings.endToEndRun().toSeconds()));
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
        if (!parts.isEmpty()) {
            md.append('\n').append(statementTables());
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
