package io.jetstreambridge.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.testing.NatsCluster;
import io.jetstreambridge.testing.NatsServer;
import io.jetstreambridge.testing.capacity.CapacityModel;
import io.jetstreambridge.testing.capacity.CostKey;
import io.jetstreambridge.testing.jta.PrivatePostgres;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * The capacity model checked (issue 19): the end-to-end load with 1, 2 and 4 instances of the publishing and of the
 * consuming application, each in a JVM of its own, on one nats-server (R1) and on a 3-node cluster with the stream
 * replicated 3 times (R3); writers commit as fast as they can, the pipeline's rate is counted in PostgreSQL over a
 * fixed window, the CPU of every process group over the same window, and the forecast for the same configuration
 * beside it; then every committed event must have been observed exactly once. Writes its section of
 * {@code docs/scaling.md} ({@link ScalingPage}).
 *
 * <p>Not a test of the build: its name matches none of surefire's patterns and its tag {@code scaling} is excluded
 * unless {@code bash .ci/scaling.sh} ({@code -Pscaling -Dtest=ScalingRun}) asks for it. System properties:
 * {@code jsb.scaling.plan} (instances x replicas, default {@code 1x1,2x1,4x1,1x3,2x3}),
 * {@code jsb.scaling.writers} (writer threads per publisher instance, 4), {@code jsb.scaling.warmup-seconds} (30)
 * and {@code jsb.scaling.warmup-max-seconds} (120),
 * {@code jsb.scaling.window-seconds} (25), {@code jsb.scaling.page} (the page; default {@code target/scaling.md}),
 * {@code jsb.scaling.costs} (the cost table; default {@code docs/scaling-costs.properties}).
 */
@Tag("scaling")
class ScalingRun {

    /**
     * The applications as a server runs them: full JIT (the fault suite's JVMs stop at C1 to start quickly); a fixed
     * number of compiler threads, so that their CPU can be told apart over the window ({@link GroupCpu}).
     */
    private static final List<String> JVM = List.of("-Xmx512m", "-Xshare:auto",
            "-XX:-UseDynamicNumberOfCompilerThreads");

    private final int writers = Integer.getInteger("jsb.scaling.writers", 4);
    private final Duration warmUp = Duration.ofSeconds(Long.getLong("jsb.scaling.warmup-seconds", 30));
    private final Duration warmUpMax = Duration.ofSeconds(Long.getLong("jsb.scaling.warmup-max-seconds", 120));
    /** Slices of the warm-up after its first part, each ending it once compilation has settled. */
    private static final Duration WARM_UP_SLICE = Duration.ofSeconds(5);
    /** Compilation has settled once the JIT compiler threads take less than this share of the JVMs' CPU. */
    static final double JIT_SETTLED = 0.10;
    private final Duration window = Duration.ofSeconds(Long.getLong("jsb.scaling.window-seconds", 25));

    @Test
    void endToEndRateWithMoreInstancesAndAReplicatedStream() throws IOException {
        long started = System.currentTimeMillis();
        String loadAtStart = loadAverage();
        Path costFile = Path.of(System.getProperty("jsb.scaling.costs",
                System.getProperty("jsb.docs.dir", "../docs") + "/scaling-costs.properties"));
        CapacityModel model = new CapacityModel(CapacityModel.Costs.read(costFile));
        int cores = Runtime.getRuntime().availableProcessors();
        List<int[]> plan = plan(System.getProperty("jsb.scaling.plan", "1x1,2x1,4x1,1x3,2x3"));
        Path base = Path.of("target", "scaling").toAbsolutePath();
        List<ScalingResult> results = new ArrayList<>();
        // every configuration on the same PostgreSQL cluster of the run's own, a fresh schema each; set up as the
        // bench's cluster, so that the run checks the bench's costs on the same kind of server
        Map<String, String> settings = new LinkedHashMap<>(PrivatePostgres.MEASURING);
        settings.put("max_connections", "300");
        try (PrivatePostgres postgres = PrivatePostgres.start(base.resolve("postgres-" + System.currentTimeMillis()),
                settings)) {
            for (int[] configuration : plan) {
                ScalingResult result = measure(model, configuration[0], configuration[1], cores, postgres);
                results.add(result);
                progress("%s: end to end %.0f/s (committed %.0f/s, consumed %.0f/s), forecast %.0f/s (%+.0f %%), "
                                + "machine %.2f of %d cores busy; %s", result.label(), result.endToEndPerSecond(),
                        result.committedPerSecond(), result.consumedPerSecond(), result.forecast().eventsPerSecond(),
                        result.errorPercent(), result.cpu().machineBusy(), cores, result.tally().describe());
            }
        }
        long took = (System.currentTimeMillis() - started) / 1000;
        Path page = Path.of(System.getProperty("jsb.scaling.page", "target/scaling.md"));
        ScalingPage.write(page, ScalingPage.render(results, costFile.getFileName().toString(),
                header(took, loadAtStart, results.get(0).host())));
        progress("section written to %s; the run took %d s", page.toAbsolutePath().normalize(), took);
        List<String> unclean = results.stream().filter(r -> !r.clean())
                .map(r -> r.label() + ": " + r.tally().describe()).toList();
        assertThat(unclean).as("configurations with events lost, doubled or observed without a commit").isEmpty();
    }

    private ScalingResult measure(CapacityModel model, int instances, int replicas, int cores,
                                  PrivatePostgres postgres) throws IOException {
        long started = System.currentTimeMillis();
        String name = "scale-i" + instances + "-r" + replicas;
        progress("%s: starting %s, %d publisher and %d consumer JVMs", name,
                replicas == 1 ? "one nats-server" : "a " + replicas + "-node cluster", instances, instances);
        NatsCluster cluster = replicas == 1 ? null : NatsCluster.builder().size(replicas).start();
        NatsServer single = replicas == 1 ? NatsServer.builder().start() : null;
        List<NatsServer> servers = cluster != null ? cluster.nodes() : List.of(single);
        String urls = cluster != null ? cluster.urls() : single.url();
        Map<String, String> natsSettings = replicas == 1 ? Map.of()
                : Map.of("jetstream.bridge.stream.replicas", String.valueOf(replicas));
        // the library's default timings, as the bench has them (the fault suite's short ones cost CPU under load)
        try (Pipeline run = Pipeline.builder(name, urls).natsSettings(natsSettings).database(postgres).jvmOptions(JVM)
                .libraryTimings().start()) {
            Path go = run.directory().resolve("go");
            Path stop = run.directory().resolve("stop");
            List<AppProcess> consumers = new ArrayList<>();
            Map<String, String> consumerSettings = run.consumerSettings("consumer", Map.of());
            for (int i = 1; i <= instances; i++) {
                consumers.add(run.startConsumer("consumer-" + i, Map.of()));
            }
            // consumers first: they provision the stream; a publisher whose provisioning gets no answer (a cluster
            // fresh from start-up) would not start
            awaitStarted(run, consumers);
            await().atMost(Duration.ofMinutes(1)).until(() -> run.consumerBacklog() >= 0);
            List<AppProcess> publishers = new ArrayList<>();
            for (int i = 1; i <= instances; i++) {
                publishers.add(run.startPublisher("publisher-" + i, name + "p" + i, Integer.MAX_VALUE, Map.of(
                        "fault.rate", "0", "fault.threads", String.valueOf(writers), "fault.rollback-every", "0",
                        "fault.go-file", go.toString(), "fault.stop-file", stop.toString())));
            }
            awaitStarted(run, publishers);
            Files.createFile(go);
            progress("%s: all %d JVMs up after %.0f s; writers started, warming up for %d to %d s", name,
                    2 * instances, (System.currentTimeMillis() - started) / 1000.0, warmUp.toSeconds(),
                    warmUpMax.toSeconds());
            Map<String, Set<Long>> groups = new LinkedHashMap<>();
            groups.put(ScalingResult.PUBLISHERS, pids(publishers));
            groups.put(ScalingResult.CONSUMERS, pids(consumers));
            groups.put(ScalingResult.NATS,
                    servers.stream().map(s -> s.pid().orElseThrow()).collect(Collectors.toSet()));
            long warmedUp = warmUp(run, name, groups, postgres.postmasterPid());
            // observed before committed: an event committed between the two counts then counts as in flight,
            // never as observed before it was committed
            long observedBefore = run.observedRows();
            long committedBefore = run.committed();
            GroupCpu cpu = GroupCpu.begin(groups, JVM_GROUPS, postgres.postmasterPid());
            pass(window, run, name + " window");
            GroupCpu.Usage usage = cpu.end();
            long observedAfter = run.observedRows();
            long committedAfter = run.committed();
            List<AppProcess> dead = new ArrayList<>(publishers);
            dead.addAll(consumers);
            dead.removeIf(AppProcess::isAlive);
            assertThat(dead).as("applications that died during the window%s", run.logs()).isEmpty();

            Files.createFile(stop);
            progress("%s: window over, writers stopped; waiting for the flow to settle (%,d in flight)", name,
                    committedAfter - observedAfter);
            Pipeline.Tally tally = run.settle(Duration.ofMinutes(5), id -> false);
            return new ScalingResult(model, host(model.costs(), instances, replicas, cores, writers,
                    consumerSettings), usage, committedAfter - committedBefore, observedAfter - observedBefore,
                    committedBefore - observedBefore, committedAfter - observedAfter, tally, warmedUp,
                    System.currentTimeMillis() - started);
        } finally {
            if (cluster != null) {
                cluster.close();
            } else {
                single.close();
            }
        }
    }

    private static final Set<String> JVM_GROUPS = Set.of(ScalingResult.PUBLISHERS, ScalingResult.CONSUMERS);

    /**
     * The warm-up: {@code jsb.scaling.warmup-seconds}, then on in slices until the JVMs' JIT compiler threads take
     * under {@link #JIT_SETTLED} of their CPU in a slice, as the bench's warm-up waits for compilation to settle, at
     * most {@code jsb.scaling.warmup-max-seconds}. The more JVMs share the cores, the longer each takes to compile
     * the same code, and code not compiled yet runs slower: a fixed warm-up would measure the larger configurations
     * colder. Returns how long it took, in milliseconds.
     */
    private long warmUp(Pipeline run, String name, Map<String, Set<Long>> groups, long postmaster) {
        long start = System.nanoTime();
        pass(warmUp, run, name + " warm-up");
        while (System.nanoTime() - start < warmUpMax.toNanos()) {
            GroupCpu slice = GroupCpu.begin(groups, JVM_GROUPS, postmaster);
            pass(WARM_UP_SLICE, run, name + " warm-up");
            GroupCpu.Usage usage = slice.end();
            double jvms = JVM_GROUPS.stream().mapToDouble(usage::of).sum();
            double jit = JVM_GROUPS.stream().mapToDouble(usage::jitOf).sum();
            progress("  %s warm-up: JIT compilers took %.0f %% of the JVMs' CPU", name,
                    jvms <= 0 ? 0 : 100 * jit / jvms);
            if (jvms > 0 && jit / jvms < JIT_SETTLED) {
                break;
            }
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static void awaitStarted(Pipeline run, List<AppProcess> apps) {
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (AppProcess app : apps) {
                if (!app.isAlive()) {
                    throw new AssertionError(app.name() + " exited during start-up" + run.logs());
                }
            }
            return apps.stream().allMatch(app -> app.currentLog().contains("FAULT-APP started"));
        });
    }

    /**
     * Lets a fixed stretch of the run pass (the warm-up, the measured window: a duration, not a condition to wait
     * for), printing the counts every 5 seconds.
     */
    private static void pass(Duration stretch, Pipeline run, String what) {
        long end = System.nanoTime() + stretch.toNanos();
        long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
            LockSupport.parkNanos(Math.min(end, nextReport) - now);
            if (System.nanoTime() >= nextReport) {
                progress("  %s: committed %,d, observed %,d", what, run.committed(), run.observedRows());
                nextReport += TimeUnit.SECONDS.toNanos(5);
            }
        }
    }

    private static Set<Long> pids(List<AppProcess> apps) {
        return apps.stream().map(AppProcess::pid).collect(Collectors.toSet());
    }

    /**
     * The configuration as the capacity model sees it: the settings the applications really run with (the consumers'
     * concurrency and batch size from their settings, the relay's batch and window the library's defaults, which the
     * costs were taken with), on this machine's cores.
     */
    static CapacityModel.SharedHost host(CapacityModel.Costs costs, int instances, int replicas, int cores,
                                         int writersPerInstance, Map<String, String> consumerSettings) {
        return new CapacityModel.SharedHost(instances, replicas, cores, writersPerInstance,
                Integer.parseInt(consumerSettings.get("jetstream.bridge.consumer.concurrency")),
                Integer.parseInt(consumerSettings.get("jetstream.bridge.consumer.batch-size")),
                (int) costs.get(CostKey.OUTBOX_BATCH), (int) costs.get(CostKey.PUBLISH_WINDOW));
    }

    /** {@code 1x1,2x1,...}: instances x replicas. */
    static List<int[]> plan(String text) {
        List<int[]> plan = new ArrayList<>();
        for (String entry : text.split(",")) {
            String[] parts = entry.trim().toLowerCase(Locale.ROOT).split("x");
            if (parts.length != 2) {
                throw new IllegalArgumentException("jsb.scaling.plan: '" + entry + "' is not instances x replicas");
            }
            plan.add(new int[] {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())});
        }
        return plan;
    }

    private String header(long took, String loadAtStart, CapacityModel.SharedHost host) {
        return String.format(Locale.ROOT, """
                Generated by `bash .ci/scaling.sh` (not part of the tests); do not edit this section by hand, run it \
                again. Run %s, took %d s, on %d cores (%s), load average %s at the start and %s at the end. \
                The column "other processes" shows what other work on the machine took during each window (the \
                load average at the end is the run's own). Each configuration: %d writer threads per publisher \
                instance, consumer concurrency %d and batch size %d per consumer instance (the fault suite's settings, \
                given to the model too), the library's default timings (`Pipeline.libraryTimings`), warm-up at least \
                %d s and then until the JIT compilers take under %.0f %% of the JVMs' CPU over 5 s (at most %d s; \
                each configuration's is under "The runs"), window %d s; application JVMs `%s`; every application lists all servers.""",
                Instant.now().truncatedTo(ChronoUnit.SECONDS), took, Runtime.getRuntime().availableProcessors(),
                cpuModel(), loadAtStart, loadAverage(), writers, host.consumerConcurrency(), host.consumerBatch(),
                warmUp.toSeconds(), 100 * JIT_SETTLED, warmUpMax.toSeconds(), window.toSeconds(),
                String.join(" ", JVM));
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "(unknown)";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static void progress(String format, Object... args) {
        System.out.println("[scaling " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "] "
                + String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
