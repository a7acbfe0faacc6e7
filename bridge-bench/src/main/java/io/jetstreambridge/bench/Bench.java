package io.jetstreambridge.bench;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.envelope.EnvelopeFactory;
import io.jetstreambridge.core.outbox.OutboxEvent;
import io.jetstreambridge.core.connection.NatsConnector;
import io.jetstreambridge.core.inbox.InboxEvent;
import io.jetstreambridge.core.publish.JetStreamPublisher;
import io.jetstreambridge.core.publish.PayloadMapper;
import io.jetstreambridge.core.topology.StreamProvisioner;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.nats.client.Connection;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.spi.JsonProvider;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The bench command: {@code bash .ci/bench.sh [--quick]}. Measures B0 (raw jnats), B1 (direct publisher), B2
 * (outbox relay), B3p/B3 (producer side alone, end to end), B4 (consumer with inbox) and memory against the given
 * nats-server and a PostgreSQL cluster of the bench's own ({@link BenchDatabase}, in {@code target/postgres}), prints
 * the figures and writes them to a Markdown report.
 *
 * <p>Arguments: {@code --nats URL} (required), {@code --nats-pid PID} (the server's process, for the CPU split),
 * {@code --out FILE} (default {@code docs/benchmarks.md}), {@code --quick}, {@code --only B0,B1,...} (a subset, for
 * development; B1 needs B0 for its ratios), {@code --providers eclipselink,hibernate} (the JPA providers B2 and B3
 * run on, in turn; B4 and the memory run use the first; default both in a full run, EclipseLink in a quick one).
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        String natsUrl = null;
        Path out = Path.of("docs/benchmarks.md");
        BenchSettings settings = BenchSettings.full();
        Set<String> only = Set.of("B0", "B1", "B2", "B3", "B4", "MEM");
        List<JpaHarness.Provider> providers = null;
        long natsPid = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--nats" -> natsUrl = args[++i];
                case "--nats-pid" -> natsPid = Long.parseLong(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--quick" -> settings = BenchSettings.quick();
                case "--only" -> only = Set.of(args[++i].toUpperCase(Locale.ROOT).split(","));
                case "--providers" -> providers = providers(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (allowed: --nats URL, "
                        + "--nats-pid PID, --out FILE, --quick, --only B0,B1,B2,B3,B4,MEM, "
                        + "--providers eclipselink,hibernate)");
            }
        }
        if (providers == null) {
            providers = settings.mode().equals("full")
                    ? List.of(JpaHarness.Provider.ECLIPSELINK, JpaHarness.Provider.HIBERNATE)
                    : List.of(JpaHarness.Provider.ECLIPSELINK);
        }
        if (natsUrl == null) {
            throw new IllegalArgumentException("--nats URL is required (bash .ci/bench.sh starts a server)");
        }
        final BenchSettings chosen = settings;
        final String url = natsUrl;
        Logger.getLogger("io.jetstreambridge").setLevel(Level.WARNING);
        Logger.getLogger("org.jboss.weld").setLevel(Level.WARNING);
        Logger.getLogger("com.arjuna").setLevel(Level.WARNING);
        Instant began = Instant.now();
        Report report = new Report(chosen);

        BridgeConfig source = BridgeConfig.builder().appName(BenchApp.SOURCE).destinationApp(BenchApp.APP)
                .natsUrls(url).set(ConfigKey.CONSUMER_ENABLED, "false").build();
        try (Connection connection = new NatsConnector(source.nats(), null).connect()) {
            report.environment(connection);
            new StreamProvisioner(connection.jetStreamManagement(), source).provision();
            JsonProvider json = JsonProvider.provider();
            JetStreamPublisher publisher = new JetStreamPublisher(connection, source.topology(), source.publish(),
                    new EnvelopeFactory(BenchApp.SOURCE, Clock.systemUTC()), new EnvelopeCodec(json),
                    new PayloadMapper(JsonbBuilder.create(), json), ForkJoinPool.commonPool());
            PublisherBench publishers = new PublisherBench(publisher);
            String stream = source.topology().stream();

            if (only.contains("B0") || only.contains("B1")) {
                PublisherBench bridge = only.contains("B1") ? publishers : null;
                try (RawBaselines raw = new RawBaselines(connection).open()) {
                    PublishRounds.Result rounds = step("B0/B1 publishes in alternating rounds", () ->
                            new PublishRounds(raw, bridge).run(chosen));
                    double fetchAck = step("B0 raw fetch + ack", () -> raw.fetchAndAck(chosen.asyncPublishes()));
                    report.b0(new RawBaselines.Result(rounds.rawSync(), rounds.rawAsync(), fetchAck));
                    if (only.contains("B1")) {
                        report.b1(new PublisherBench.Result(rounds.bridgeSync(), rounds.bridgeAll()));
                    }
                }
            }
            connection.jetStreamManagement().purgeStream(stream);

            try (BenchDatabase database = BenchDatabase.start(Path.of("target", "postgres").toAbsolutePath(),
                    natsPid); Harnesses harnesses = new Harnesses(database)) {
                report.database(database, providers);
                JpaHarness.Provider main = providers.get(0);
                if (only.contains("B2")) {
                    for (JpaHarness.Provider provider : providers) {
                        report.b2(step("B2 outbox relay (" + name(provider) + ")", () -> new RelayBench(database,
                                name(provider), harnesses.get(provider), connection, source).run(chosen)));
                    }
                }
                if (only.contains("B4")) {
                    try (RawBaselines raw = new RawBaselines(connection).open()) {
                        report.b4(step("B4 consumer with inbox", () -> new ConsumerBench(database,
                                harnesses.get(main), connection, publishers, url, stream, raw).run(chosen)));
                    }
                }
                if (only.contains("B3")) {
                    for (JpaHarness.Provider provider : providers) {
                        report.b3(step("B3p/B3 (" + name(provider) + ")", () -> new EndToEndBench(database,
                                name(provider), harnesses.get(provider), connection, url, stream).run(chosen)));
                    }
                }
                if (only.contains("MEM")) {
                    report.memory(step("memory", () -> new MemoryBench(harnesses.get(main), connection,
                            publishers, url, stream).run(chosen)));
                }
            }
        }
        report.finish(began, Memory.peakRssMiB());
        String text = report.markdown();
        System.out.println();
        System.out.println(text);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, text);
        System.out.println("written to " + out.toAbsolutePath());
        System.exit(0); // container executors and jnats threads must not keep the JVM alive
    }

    /** The JPA harness per provider, each on a schema of its own, started when first asked for. */
    private static final class Harnesses implements AutoCloseable {

        private final BenchDatabase database;
        private final Map<JpaHarness.Provider, JpaHarness> started = new LinkedHashMap<>();

        Harnesses(BenchDatabase database) {
            this.database = database;
        }

        JpaHarness get(JpaHarness.Provider provider) {
            return started.computeIfAbsent(provider, p -> JpaHarness.builder().provider(p)
                    .database(database.schema("bench_" + p.name().toLowerCase(Locale.ROOT)))
                    .entities(InboxEvent.class, OutboxEvent.class, BenchOrder.class)
                    .ddlResource("db/jetstream-bridge/postgresql/V1__jetstream_bridge_inbox.sql")
                    .ddlResource("db/jetstream-bridge/postgresql/V2__jetstream_bridge_outbox.sql")
                    .ddlResource("db/jetstream-bridge/postgresql/V3__jetstream_bridge_outbox_indexes.sql")
                    .ddl(BenchOrder.DDL).start());
        }

        @Override
        public void close() {
            started.values().forEach(JpaHarness::close);
        }
    }

    /** The provider's name in the report: EclipseLink, Hibernate. */
    static String name(JpaHarness.Provider provider) {
        return provider == JpaHarness.Provider.HIBERNATE ? "Hibernate" : "EclipseLink";
    }

    private static List<JpaHarness.Provider> providers(String list) {
        List<JpaHarness.Provider> providers = new ArrayList<>();
        for (String name : list.split(",")) {
            providers.add(JpaHarness.Provider.valueOf(name.trim().toUpperCase(Locale.ROOT)));
        }
        return List.copyOf(providers);
    }

    @FunctionalInterface
    interface Step<T> {
        T run() throws Exception;
    }

    private static <T> T step(String name, Step<T> step) throws Exception {
        System.out.println("== " + name + " ...");
        long start = System.nanoTime();
        T result = step.run();
        System.out.printf("== %s done in %.1f s: %s%n", name, (System.nanoTime() - start) / 1e9, result);
        return result;
    }
}
