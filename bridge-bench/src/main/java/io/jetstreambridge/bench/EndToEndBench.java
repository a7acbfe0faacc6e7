package io.jetstreambridge.bench;

import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.jta.JtaContainer;
import io.nats.client.Connection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * B3: writer threads commit business transactions through {@link BenchWriter} with the outbox on; the same
 * application's consumer (inbox on) observes the events: outbox row, fast-path relay, JetStream, inbox, observer.
 * First at full speed (the sustained maximum), then paced at 25, 50 and 100 % of it for the commit-to-observer
 * latency, then the same writers without publishing (the cost to the application).
 */
final class EndToEndBench {

    static final int WRITERS = 8;
    static final int BATCH_SIZE = 100;
    static final int CONCURRENCY = 2;
    private static final Duration DRAIN_LIMIT = Duration.ofMinutes(3);
    private static final Duration WARM_UP_STEP = Duration.ofSeconds(10);
    /** The warm-up lasts at most this many run lengths: 3 minutes in a full run, 30 s in a quick one. */
    private static final int WARM_UP_RUNS = 6;

    /** @param outboxBacklogPeak most rows seen pending in the outbox during the run (sampled once a second) */
    record Latency(int percent, double targetRate, double achievedRate, long events, double p50, double p95,
                   double p99, long outboxBacklogPeak) {
    }

    /** @param cpuAtMaximum where the cores went during the full-speed run, writers and drain included */
    record Result(double commitsWithOutbox, double sustained, double commitsWithoutPublishing, List<Latency> latencies,
                  boolean drained, CpuSplit.Result cpuAtMaximum, CpuSplit.Result cpuWithoutPublishing,
                  JitWarmUp.Result warmUp) {
    }

    private final JpaHarness jpa;
    private final Connection connection;
    private final String natsUrl;
    private final String stream;

    EndToEndBench(JpaHarness jpa, Connection connection, String natsUrl, String stream) {
        this.jpa = jpa;
        this.connection = connection;
        this.natsUrl = natsUrl;
        this.stream = stream;
    }

    Result run(BenchSettings settings) throws Exception {
        BenchApp.reset(connection, jpa, stream);
        Map<String, String> config = BenchApp.baseConfig(natsUrl);
        config.put("jetstream.bridge.outbox.enabled", "true");
        config.put("jetstream.bridge.consumer.batch-size", String.valueOf(BATCH_SIZE));
        config.put("jetstream.bridge.consumer.concurrency", String.valueOf(CONCURRENCY));
        JtaContainer app = BenchApp.start(jpa, config);
        try {
            BenchWriter writer = app.select(BenchWriter.class);
            BenchSink sink = app.select(BenchSink.class);
            Duration run = settings.endToEndRun();

            AtomicLong warmSteps = new AtomicLong();
            JitWarmUp.Result warm = JitWarmUp.until(length -> {
                write(writer, "warm" + warmSteps.incrementAndGet(), length, 0, true, null);
                BenchApp.waitFor(() -> sink.seen() >= committed.get(), DRAIN_LIMIT);
            }, WARM_UP_STEP, run.multipliedBy(WARM_UP_RUNS));

            // full speed: what the writers commit, and how fast the other end keeps up
            sink.reset();
            committed.set(0);
            long start = System.nanoTime();
            CpuSplit cpu = CpuSplit.begin();
            double commitRate = write(writer, "max", run, 0, true, null);
            long total = committed.get();
            boolean drained = BenchApp.waitFor(() -> sink.seen() >= total, DRAIN_LIMIT);
            double sustained = Figures.perSecond(sink.seen(), System.nanoTime() - start);
            CpuSplit.Result cpuAtMaximum = cpu.end();

            List<Latency> latencies = new ArrayList<>();
            for (int percent : new int[] {25, 50, 100}) {
                sink.reset();
                sink.recordTimes(true);
                committed.set(0);
                Map<String, Long> committedAt = new ConcurrentHashMap<>();
                double target = sustained * percent / 100.0;
                AtomicLong backlogPeak = new AtomicLong();
                Thread progress = progress("lat" + percent, sink, backlogPeak);
                double achieved = write(writer, "lat" + percent, run, target, true, committedAt);
                progress.interrupt();
                long sent = committed.get();
                BenchApp.waitFor(() -> sink.seen() >= sent, DRAIN_LIMIT);
                sink.recordTimes(false);
                latencies.add(latency(percent, target, achieved, committedAt, sink.seenAt(), backlogPeak.get()));
            }

            committed.set(0);
            CpuSplit plainCpu = CpuSplit.begin();
            double withoutPublishing = write(writer, "plain", run, 0, false, null);
            return new Result(commitRate, sustained, withoutPublishing, latencies, drained, cpuAtMaximum,
                    plainCpu.end(), warm);
        } finally {
            app.close();
        }
    }

    private final AtomicLong committed = new AtomicLong();

    /**
     * {@link #WRITERS} threads commit for {@code length}; paced to {@code rate} per second overall when it is
     * positive. Records each event's commit time when {@code committedAt} is given.
     *
     * @return commits per second
     */
    private double write(BenchWriter writer, String kind, Duration length, double rate, boolean publish,
                         Map<String, Long> committedAt) throws InterruptedException {
        AtomicLong ids = new AtomicLong();
        long start = System.nanoTime();
        long end = start + length.toNanos();
        long interval = rate > 0 ? (long) (1_000_000_000L / rate) : 0;
        AtomicLong nextSlot = new AtomicLong(start);
        long before = committed.get();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < end) {
                    if (interval > 0) {
                        long slot = nextSlot.getAndAdd(interval);
                        long wait = slot - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        if (slot >= end) {
                            break;
                        }
                    }
                    String id = kind + "-" + ids.incrementAndGet();
                    try {
                        writer.place(id, (int) (ids.get() % 1000), publish);
                    } catch (Exception e) { // a failed commit can come through the interceptor as a checked one
                        errors.add(e);
                        return;
                    }
                    if (committedAt != null) {
                        committedAt.put(id, System.nanoTime());
                    }
                    committed.incrementAndGet();
                }
            }, "bench-writer-" + w);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException("B3 writer failed", errors.get(0));
        }
        return Figures.perSecond(committed.get() - before, System.nanoTime() - start);
    }

    /** Prints once a second what was committed, what still waits in the outbox, and what was observed. */
    private Thread progress(String kind, BenchSink sink, AtomicLong backlogPeak) {
        Thread thread = new Thread(() -> {
            long start = System.nanoTime();
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(1000);
                    long pending = jpa.database().queryForLong(
                            "SELECT COUNT(*) FROM jetstream_bridge_outbox_events WHERE status = 'pending'");
                    backlogPeak.accumulateAndGet(pending, Math::max);
                    System.out.printf("   %s %4.1fs committed %,d, outbox pending %,d, observed %,d%n", kind,
                            (System.nanoTime() - start) / 1e9, committed.get(), pending, sink.seen());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-progress");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static Latency latency(int percent, double target, double achieved, Map<String, Long> committedAt,
                                   Map<String, Long> seenAt, long backlogPeak) {
        long[] values = committedAt.entrySet().stream().filter(e -> seenAt.containsKey(e.getKey()))
                .mapToLong(e -> Math.max(0, seenAt.get(e.getKey()) - e.getValue())).toArray();
        long[] sorted = Figures.sorted(values);
        return new Latency(percent, target, achieved, sorted.length, Figures.percentile(sorted, 50),
                Figures.percentile(sorted, 95), Figures.percentile(sorted, 99), backlogPeak);
    }
}
