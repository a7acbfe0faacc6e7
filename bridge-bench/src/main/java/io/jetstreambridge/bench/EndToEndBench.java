package io.jetstreambridge.bench;

import io.jetstreambridge.bench.BenchWriter.Publishing;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.cdi.JtaContainer;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.PurgeOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * B3p and B3: writer threads commit business transactions through {@link BenchWriter} in one application with the
 * outbox and the consumer (inbox on) started. Three kinds of run take turns in {@link #ROUNDS} rounds (the one going
 * first changes every round; each figure is the median of its rounds, so the machine's drift does not end up in the
 * ratios, as in B0/B1): the writers without publishing (the baseline), the producer side alone (B3p: each transaction
 * also publishes through the outbox to a subject nothing consumes; the rate counts until JetStream stored every
 * event), and end to end (B3: to the application's own consume subject; the rate counts until the observer saw every
 * event). Then paced at 25, 50 and 100 % of B3's median for the commit-to-observer latency.
 */
final class EndToEndBench {

    static final int WRITERS = 8;
    static final int BATCH_SIZE = 100;
    static final int CONCURRENCY = 2;
    static final int ROUNDS = PublishRounds.ROUNDS;
    private static final Duration DRAIN_LIMIT = Duration.ofMinutes(3);
    private static final Duration WARM_UP_STEP = Duration.ofSeconds(10);
    /** The warm-up lasts at most this many latency-run lengths: 3 minutes in a full run, 30 s in a quick one. */
    private static final int WARM_UP_RUNS = 6;

    /** The runs of a round, in the order of round 0. */
    enum Kind {
        WITHOUT_PUBLISHING(Publishing.NONE), PRODUCER_ALONE(Publishing.PRODUCER_ONLY),
        END_TO_END(Publishing.END_TO_END);

        private final Publishing publishing;

        Kind(Publishing publishing) {
            this.publishing = publishing;
        }
    }

    /** @param outboxBacklogPeak most rows seen pending in the outbox during the run (sampled once a second) */
    record Latency(int percent, double targetRate, double achievedRate, long events, double p50, double p95,
                   double p99, long outboxBacklogPeak) {
    }

    /**
     * One kind's rounds.
     *
     * @param perSecond   median of the rounds: commits per second without publishing; events per second until stored
     *                    (producer alone) or observed (end to end)
     * @param commits     median of the rounds' business commits per second
     * @param usage       CPU and server time per statement over all its rounds, drains included
     */
    record Runs(Kind kind, double perSecond, double commits, Usage usage) {
    }

    /** @param drained whether every round's events were stored and observed within 3 minutes of its end */
    record Result(String provider, Map<Kind, Runs> runs, List<Latency> latencies, boolean drained,
                  JitWarmUp.Result warmUp) {

        Runs withoutPublishing() {
            return runs.get(Kind.WITHOUT_PUBLISHING);
        }

        Runs producerAlone() {
            return runs.get(Kind.PRODUCER_ALONE);
        }

        Runs endToEnd() {
            return runs.get(Kind.END_TO_END);
        }
    }

    private record Written(long commits, double perSecond) {
    }

    private record Measured(double perSecond, double commits, Usage usage, boolean drained) {
    }

    private final BenchDatabase database;
    private final String provider;
    private final JpaHarness jpa;
    private final Connection connection;
    private final String natsUrl;
    private final String stream;
    private final AtomicLong committed = new AtomicLong();

    EndToEndBench(BenchDatabase database, String provider, JpaHarness jpa, Connection connection, String natsUrl,
                  String stream) {
        this.database = database;
        this.provider = provider;
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

            AtomicLong warmSteps = new AtomicLong();
            JitWarmUp.Result warm = JitWarmUp.until(length -> {
                committed.set(0);
                write(writer, "warm" + warmSteps.incrementAndGet(), length, 0, Publishing.END_TO_END, null);
                BenchApp.waitFor(() -> sink.seen() >= committed.get(), DRAIN_LIMIT);
            }, WARM_UP_STEP, settings.endToEndRun().multipliedBy(WARM_UP_RUNS));

            Kind[] kinds = Kind.values();
            Map<Kind, double[]> rates = new EnumMap<>(Kind.class);
            Map<Kind, double[]> commits = new EnumMap<>(Kind.class);
            Map<Kind, Usage> usage = new EnumMap<>(Kind.class);
            boolean drained = true;
            for (Kind kind : kinds) {
                rates.put(kind, new double[ROUNDS]);
                commits.put(kind, new double[ROUNDS]);
            }
            for (int round = 0; round < ROUNDS; round++) {
                for (int turn = 0; turn < kinds.length; turn++) {
                    Kind kind = kinds[(round + turn) % kinds.length];
                    Measured measured = measure(kind, "r" + round, writer, sink, settings.endToEndRound());
                    rates.get(kind)[round] = measured.perSecond();
                    commits.get(kind)[round] = measured.commits();
                    usage.merge(kind, measured.usage(), Usage::plus);
                    drained &= measured.drained();
                    System.out.printf("   round %d %s: %,.0f/s (commits %,.0f/s)%n", round, kind,
                            measured.perSecond(), measured.commits());
                }
            }
            Map<Kind, Runs> runs = new EnumMap<>(Kind.class);
            for (Kind kind : kinds) {
                runs.put(kind, new Runs(kind, PublishRounds.median(rates.get(kind)),
                        PublishRounds.median(commits.get(kind)), usage.get(kind)));
            }

            double sustained = runs.get(Kind.END_TO_END).perSecond();
            List<Latency> latencies = new ArrayList<>();
            for (int percent : new int[] {25, 50, 100}) {
                latencies.add(latency(percent, sustained * percent / 100.0, writer, sink, settings.endToEndRun()));
            }
            return new Result(provider, runs, latencies, drained, warm);
        } finally {
            app.close();
        }
    }

    /** One run of a round: the writers for {@code length}, then until the events are stored or observed. */
    private Measured measure(Kind kind, String round, BenchWriter writer, BenchSink sink, Duration length)
            throws Exception {
        JetStreamManagement jsm = connection.jetStreamManagement();
        long storedBefore = lastSequence(jsm);
        sink.reset();
        committed.set(0);
        BenchDatabase.Probe probe = database.begin();
        long start = System.nanoTime();
        Written written = write(writer, kind.name().toLowerCase() + "-" + round, length, 0, kind.publishing, null);
        long total = written.commits();
        boolean drained = switch (kind) {
            case WITHOUT_PUBLISHING -> true;
            case PRODUCER_ALONE -> BenchApp.waitFor(() -> lastSequence(jsm) - storedBefore >= total, DRAIN_LIMIT);
            case END_TO_END -> BenchApp.waitFor(() -> sink.seen() >= total, DRAIN_LIMIT);
        };
        long nanos = System.nanoTime() - start;
        Usage used = probe.end(total);
        if (kind == Kind.PRODUCER_ALONE) { // nothing consumes them: keep the stream small
            jsm.purgeStream(stream, PurgeOptions.subject(Publishing.PRODUCER_ONLY.subject()));
        }
        double perSecond = kind == Kind.WITHOUT_PUBLISHING ? written.perSecond()
                : Figures.perSecond(kind == Kind.END_TO_END ? sink.seen() : total, nanos);
        return new Measured(perSecond, written.perSecond(), used, drained);
    }

    private Latency latency(int percent, double target, BenchWriter writer, BenchSink sink, Duration length)
            throws Exception {
        sink.reset();
        sink.recordTimes(true);
        committed.set(0);
        Map<String, Long> committedAt = new ConcurrentHashMap<>();
        AtomicLong backlogPeak = new AtomicLong();
        Thread progress = progress("lat" + percent, sink, backlogPeak);
        Written written = write(writer, "lat" + percent, length, target, Publishing.END_TO_END, committedAt);
        progress.interrupt();
        BenchApp.waitFor(() -> sink.seen() >= written.commits(), DRAIN_LIMIT);
        sink.recordTimes(false);
        long[] values = committedAt.entrySet().stream().filter(e -> sink.seenAt().containsKey(e.getKey()))
                .mapToLong(e -> Math.max(0, sink.seenAt().get(e.getKey()) - e.getValue())).toArray();
        long[] sorted = Figures.sorted(values);
        return new Latency(percent, target, written.perSecond(), sorted.length, Figures.percentile(sorted, 50),
                Figures.percentile(sorted, 95), Figures.percentile(sorted, 99), backlogPeak.get());
    }

    private long lastSequence(JetStreamManagement jsm) {
        try {
            return jsm.getStreamInfo(stream).getStreamState().getLastSequence();
        } catch (Exception e) {
            throw new IllegalStateException("could not read the stream's state", e);
        }
    }

    /**
     * {@link #WRITERS} threads commit for {@code length}; paced to {@code rate} per second overall when it is
     * positive. Records each event's commit time when {@code committedAt} is given.
     */
    private Written write(BenchWriter writer, String kind, Duration length, double rate, Publishing publishing,
                          Map<String, Long> committedAt) throws InterruptedException {
        AtomicLong ids = new AtomicLong();
        long start = System.nanoTime();
        long end = start + length.toNanos();
        long interval = rate > 0 ? (long) (1_000_000_000L / rate) : 0;
        AtomicLong nextSlot = new AtomicLong(start);
        long before = committed.get();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
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
                    long n = ids.incrementAndGet();
                    String id = kind + "-" + n;
                    try {
                        writer.place(id, (int) (n % 1000), publishing);
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
        long commits = committed.get() - before;
        return new Written(commits, Figures.perSecond(commits, System.nanoTime() - start));
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
}
