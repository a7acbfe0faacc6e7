package io.jetstreambridge.bench;

import io.jetstreambridge.testing.capacity.GeneratedSection;
import io.jetstreambridge.testing.capacity.CapacityModel;
import io.jetstreambridge.testing.capacity.CostKey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * docs/scaling.md's cost table and forecast, and docs/scaling-costs.properties: the per-event costs of each party
 * derived from what the bench measured anyway (CPU per process from {@link CpuSplit}, statements from
 * {@link StatementStats}) in B0 (raw publish and fetch + ack), B2, B3p/B3 (the first JPA provider's) and B4 (the
 * defaults). Nothing here measures; it only divides.
 */
final class ScalingCosts {

    static final String PROPERTIES = "scaling-costs.properties";
    static final String PAGE = "scaling.md";
    static final String COSTS_SECTION = "costs";
    static final String FORECAST_SECTION = "forecast";
    private static final String JVM = "bench JVM";
    private static final String PG = "PostgreSQL";
    private static final String NATS = "nats-server";
    /**
     * Stated, when the bench's R3 part did not run: with replicas 3 the leader stores each message
     * and sends it to two followers and handles their answers, about twice its replicas-1 work; each follower stores
     * it once. The multi-instance check's R3 run on a 3-node cluster tests these.
     */
    static final String R3_LEADER = "2.0";
    static final String R3_FOLLOWER = "1.0";

    private final BenchSettings settings;
    private final String started;
    private Usage stored;
    private Usage delivered;
    private RelayBench.Result relay;
    private EndToEndBench.Result endToEnd;
    private ConsumerBench.Result consumer;
    private ReplicaBench.Result replicas;

    ScalingCosts(BenchSettings settings, String started) {
        this.settings = settings;
        this.started = started;
    }

    /** The raw runs' nats-server CPU (B0's, and B4's raw fetches). */
    void raw(RawBaselines raw) {
        stored = stored == null ? raw.stored() : stored.plus(raw.stored());
        delivered = delivered == null ? raw.delivered() : delivered.plus(raw.delivered());
    }

    void replicas(ReplicaBench.Result result) {
        replicas = result;
    }

    void relay(RelayBench.Result result) {
        relay = relay == null ? result : relay;
    }

    void endToEnd(EndToEndBench.Result result) {
        endToEnd = endToEnd == null ? result : endToEnd;
    }

    void consumer(List<ConsumerBench.Result> results) {
        results.stream().filter(r -> r.setting().name().startsWith("defaults")).findFirst()
                .ifPresent(r -> consumer = r);
    }

    /** Whether every part the costs need ran (B0, B2, B3, B4). */
    boolean complete() {
        return stored != null && delivered != null && relay != null && endToEnd != null && consumer != null;
    }

    Map<CostKey, String> values() {
        Usage plain = endToEnd.withoutPublishing().usage();
        Usage producer = endToEnd.producerAlone().usage();
        Usage flow = endToEnd.endToEnd().usage();
        Usage consumed = consumer.usage();
        Map<CostKey, String> v = new EnumMap<>(CostKey.class);
        v.put(CostKey.RUN_MODE, settings.mode());
        v.put(CostKey.RUN_STARTED, started);
        v.put(CostKey.RUN_CORES, String.valueOf(Runtime.getRuntime().availableProcessors()));
        v.put(CostKey.RUN_PROVIDER, endToEnd.provider());
        double writer = plain.cpuMicrosPerEvent(JVM);
        v.put(CostKey.WRITER_CPU, us(writer));
        v.put(CostKey.RELAY_CPU, us(producer.cpuMicrosPerEvent(JVM) - writer));
        v.put(CostKey.RELAY_DRAIN_CPU, us(relay.usage().cpuMicrosPerEvent(JVM)));
        v.put(CostKey.NATS_STORE_CPU, us(stored.cpuMicrosPerEvent(NATS)));
        v.put(CostKey.NATS_STORE_ROUNDS_CPU, us(relay.usage().cpuMicrosPerEvent(NATS)));
        v.put(CostKey.NATS_DELIVER_CPU, us(delivered.cpuMicrosPerEvent(NATS)));
        v.put(CostKey.NATS_STORE_INFLOW_CPU, us(producer.cpuMicrosPerEvent(NATS)));
        v.put(CostKey.NATS_DELIVER_INFLOW_CPU, us(consumed.cpuMicrosPerEvent(NATS)));
        v.put(CostKey.CONSUMER_CPU, us(consumed.cpuMicrosPerEvent(JVM)));
        v.put(CostKey.CONSUMER_INFLOW_CPU, us(flow.cpuMicrosPerEvent(JVM) - producer.cpuMicrosPerEvent(JVM)));
        v.put(CostKey.PG_WRITER_CPU, us(plain.cpuMicrosPerEvent(PG)));
        v.put(CostKey.PG_PRODUCER_CPU, us(producer.cpuMicrosPerEvent(PG)));
        v.put(CostKey.PG_CONSUMER_CPU, us(consumed.cpuMicrosPerEvent(PG)));
        v.put(CostKey.PG_WRITER_SERVER, us(plain.statements().microsPerEvent(plain.events())));
        v.put(CostKey.PG_PRODUCER_SERVER, us(producer.statements().microsPerEvent(producer.events())));
        v.put(CostKey.PG_CONSUMER_SERVER, us(consumed.statements().microsPerEvent(consumed.events())));

        double producerStatements = calls(producer, s -> true);
        double rounds = calls(producer, s -> on(s, "select", "jetstream_bridge_outbox_events"));
        double relayStatements = calls(producer, s -> on(s, "select", "jetstream_bridge_outbox_events")
                || on(s, "delete", "jetstream_bridge_outbox_events") || on(s, "update", "jetstream_bridge_outbox_events"));
        double writerStatements = producerStatements - relayStatements;
        double batches = calls(consumed, s -> on(s, "select", "jetstream_bridge_inbox_events"));
        v.put(CostKey.PG_PRODUCER_STATEMENTS, count(producerStatements));
        v.put(CostKey.WRITER_STATEMENTS, count(writerStatements));
        v.put(CostKey.RELAY_ROUNDS, count(rounds));
        v.put(CostKey.PG_PRODUCER_COMMITS, count(1 + rounds));
        v.put(CostKey.PG_PRODUCER_ROUND_TRIPS, count(writerStatements + 1 + 3 * rounds));
        v.put(CostKey.PG_CONSUMER_STATEMENTS, count(calls(consumed, s -> true)));
        v.put(CostKey.CONSUMER_BATCHES, count(batches));
        v.put(CostKey.PG_CONSUMER_COMMITS, count(batches));
        v.put(CostKey.PG_CONSUMER_ROUND_TRIPS, count(3 * batches));
        v.put(CostKey.NATS_PRODUCER_REQUESTS, count(1));
        v.put(CostKey.NATS_CONSUMER_REQUESTS, count(batches));
        v.put(CostKey.NATS_CONSUMER_ACKS, count(1));
        v.put(CostKey.WRITER_TX_MS, String.format(Locale.ROOT, "%.3f",
                EndToEndBench.WRITERS * 1000.0 / endToEnd.withoutPublishing().perSecond()));

        v.put(CostKey.OUTBOX_BATCH, String.valueOf(relay.batchSize()));
        v.put(CostKey.PUBLISH_WINDOW, String.valueOf(relay.window()));
        v.put(CostKey.CONSUMER_BATCH, String.valueOf(consumer.setting().batchSize()));
        v.put(CostKey.CONSUMER_CONCURRENCY, String.valueOf(consumer.setting().concurrency()));
        v.put(CostKey.BENCH_WRITERS, String.valueOf(EndToEndBench.WRITERS));
        if (replicas == null) {
            v.put(CostKey.R3_LEADER_FACTOR, R3_LEADER);
            v.put(CostKey.R3_FOLLOWER_FACTOR, R3_FOLLOWER);
            v.put(CostKey.R3_SOURCE, "stated");
        } else {
            v.put(CostKey.R3_LEADER_FACTOR, String.format(Locale.ROOT, "%.2f", replicas.leaderFactor()));
            v.put(CostKey.R3_FOLLOWER_FACTOR, String.format(Locale.ROOT, "%.2f", replicas.followerFactor()));
            v.put(CostKey.R3_SOURCE, String.format(Locale.ROOT, "measured (R3: 3-node cluster on these cores, raw "
                    + "publish + fetch + ack, %d messages per stream and round, median of 3 rounds; CPU µs per "
                    + "message: replicas-1 node %.1f, replicas-3 leader %.1f, follower %.1f)", replicas.messages(),
                    replicas.leaderR1(), replicas.leaderR3(), replicas.followerR3()));
        }

        v.put(CostKey.RATE_WRITERS, rate(endToEnd.withoutPublishing().perSecond()));
        v.put(CostKey.RATE_PRODUCER, rate(endToEnd.producerAlone().perSecond()));
        v.put(CostKey.RATE_END_TO_END, rate(endToEnd.endToEnd().perSecond()));
        v.put(CostKey.RATE_RELAY_DRAIN, rate(relay.perSecond()));
        v.put(CostKey.RATE_CONSUMER, rate(consumer.perSecond()));
        v.put(CostKey.END_TO_END_CPU, us(flow.cpuMicrosPerEvent(JVM) + flow.cpuMicrosPerEvent(PG)
                + flow.cpuMicrosPerEvent(NATS)));
        v.put(CostKey.END_TO_END_BUSY, String.format(Locale.ROOT, "%.2f", flow.cpu().total()));
        return v;
    }

    /** Writes {@code dir/scaling-costs.properties} and the generated sections of {@code dir/scaling.md}. */
    void write(Path dir, String command) throws IOException {
        Map<CostKey, String> values = values();
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(PROPERTIES), properties(values, command));
        CapacityModel model = new CapacityModel(new CapacityModel.Costs(values));
        Path page = dir.resolve(PAGE);
        String text = Files.exists(page) ? Files.readString(page) : "# Scaling\n\n";
        text = GeneratedSection.replace(text, COSTS_SECTION, ScalingPage.costs(values, command));
        text = GeneratedSection.replace(text, FORECAST_SECTION, ScalingPage.forecast(model));
        Files.writeString(page, text);
    }

    static String properties(Map<CostKey, String> values, String command) {
        StringBuilder text = new StringBuilder();
        text.append("# Per-event costs of each party, measured by the bench; generated by `").append(command)
                .append("`, do not edit.\n# Read by io.jetstreambridge.testing.capacity.CapacityModel and explained in "
                        + "docs/scaling.md. Numbers use '.' and no grouping;\n# a key keeps its name and meaning "
                        + "(io.jetstreambridge.testing.capacity.CostKey declares them).\n#\n");
        for (CostKey key : CostKey.values()) {
            text.append("# ").append(key.key()).append(key.unit().isEmpty() ? "" : " [" + key.unit() + "]")
                    .append(": ").append(key.description()).append('\n');
        }
        text.append('\n');
        for (CostKey key : CostKey.values()) {
            text.append(key.key()).append('=').append(values.get(key)).append('\n');
        }
        return text.toString();
    }

    /** Calls per event of the statements {@code which} selects. */
    private static double calls(Usage usage, Predicate<String> which) {
        long calls = usage.statements().statements().stream().filter(s -> which.test(s.text()))
                .mapToLong(StatementStats.Statement::calls).sum();
        return usage.events() <= 0 ? 0 : (double) calls / usage.events();
    }

    private static boolean on(String statement, String verb, String table) {
        String text = statement.toLowerCase(Locale.ROOT);
        return text.startsWith(verb) && text.contains(table);
    }

    private static String us(double value) {
        return String.format(Locale.ROOT, "%.2f", Math.max(0, value));
    }

    private static String count(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    private static String rate(double value) {
        return String.format(Locale.ROOT, "%.0f", value);
    }
}
