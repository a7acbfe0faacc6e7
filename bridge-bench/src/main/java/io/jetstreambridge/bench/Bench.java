package io.jetstreambridge.bench;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.envelope.EnvelopeFactory;
import io.jetstreambridge.outbox.OutboxEvent;
import io.jetstreambridge.runtime.connection.NatsConnector;
import io.jetstreambridge.runtime.inbox.InboxEvent;
import io.jetstreambridge.runtime.publish.JetStreamPublisher;
import io.jetstreambridge.runtime.publish.PayloadMapper;
import io.jetstreambridge.runtime.topology.StreamProvisioner;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.jta.TestDatabase;
import io.nats.client.Connection;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.spi.JsonProvider;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The bench command: {@code bash .ci/bench.sh [--quick]}. Measures B0 (raw jnats), B1 (direct publisher), B2
 * (outbox relay), B3 (end to end), B4 (consumer with inbox) and memory against the given nats-server and the local
 * PostgreSQL, prints the figures and writes them to a Markdown report.
 *
 * <p>Arguments: {@code --nats URL} (required), {@code --out FILE} (default {@code docs/benchmarks.md}),
 * {@code --quick}, {@code --only B0,B1,...} (a subset, for development; B1 needs B0 for its ratios).
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        String natsUrl = null;
        Path out = Path.of("docs/benchmarks.md");
        BenchSettings settings = BenchSettings.full();
        Set<String> only = Set.of("B0", "B1", "B2", "B3", "B4", "MEM");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--nats" -> natsUrl = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                case "--quick" -> settings = BenchSettings.quick();
                case "--only" -> only = Set.of(args[++i].toUpperCase().split(","));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (allowed: --nats URL, --out FILE, --quick, --only B0,B1,B2,B3,B4,MEM)");
            }
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

            TestDatabase database = TestDatabase.postgres("bench");
            JpaHarness jpa = JpaHarness.builder().database(database)
                    .entities(InboxEvent.class, OutboxEvent.class, BenchOrder.class)
                    .ddlResource("db/jetstream-bridge/postgresql/V1__jetstream_bridge_inbox.sql")
                    .ddlResource("db/jetstream-bridge/postgresql/V2__jetstream_bridge_outbox.sql")
                    .ddl(BenchOrder.DDL).start();
            try (AutovacuumStandIn autovacuum = AutovacuumStandIn.startWhenOff(database, BenchApp.TABLES)) {
                report.database(database, autovacuum.active());
                if (only.contains("B2")) {
                    report.b2(step("B2 outbox relay", () -> new RelayBench(jpa, connection, source).run(chosen)));
                }
                if (only.contains("B4")) {
                    try (RawBaselines raw = new RawBaselines(connection).open()) {
                        report.b4(step("B4 consumer with inbox", () -> new ConsumerBench(jpa, connection,
                                publishers, url, stream, raw).run(chosen)));
                    }
                }
                if (only.contains("B3")) {
                    report.b3(step("B3 end to end", () -> new EndToEndBench(jpa, connection, url, stream)
                            .run(chosen)));
                }
                if (only.contains("MEM")) {
                    report.memory(step("memory", () -> new MemoryBench(jpa, connection, publishers, url,
                            stream).run(chosen)));
                }
            } finally {
                jpa.close();
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
