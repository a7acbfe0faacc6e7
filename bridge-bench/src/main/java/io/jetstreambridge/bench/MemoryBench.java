package io.jetstreambridge.bench;

import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.cdi.JtaContainer;
import io.nats.client.Connection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Memory: {@code memoryEvents} events through the direct publisher and the consumer with the inbox on, the
 * backlog kept bounded; the live heap (after a full collection) and the resident size are read at every tenth.
 * "No growth" means the live heap at the end is within noise of the one after the first tenth.
 */
final class MemoryBench {

    private static final int MAX_BACKLOG = 20_000;

    record Sample(long events, long liveHeapMiB, long rssMiB) {
    }

    record Result(long events, List<Sample> samples, long growthMiB) {
    }

    private final JpaHarness jpa;
    private final Connection connection;
    private final PublisherBench source;
    private final String natsUrl;
    private final String stream;

    MemoryBench(JpaHarness jpa, Connection connection, PublisherBench source, String natsUrl, String stream) {
        this.jpa = jpa;
        this.connection = connection;
        this.source = source;
        this.natsUrl = natsUrl;
        this.stream = stream;
    }

    Result run(BenchSettings settings) throws Exception {
        BenchApp.reset(connection, jpa, stream);
        Map<String, String> config = BenchApp.baseConfig(natsUrl);
        config.put("jetstream.bridge.consumer.batch-size", "100");
        config.put("jetstream.bridge.consumer.concurrency", "2");
        JtaContainer app = BenchApp.start(jpa, config);
        List<Sample> samples = new ArrayList<>();
        int total = settings.memoryEvents();
        int step = Math.max(PublisherBench.CHUNK, total / 10);
        try {
            BenchSink sink = app.select(BenchSink.class);
            samples.add(new Sample(0, Memory.liveHeapMiB(), Memory.rssMiB()));
            long published = 0;
            while (published < total) {
                int chunk = (int) Math.min(PublisherBench.CHUNK, total - published);
                long backlogLimit = published - MAX_BACKLOG;
                if (!BenchApp.waitFor(() -> sink.seen() >= backlogLimit, Duration.ofMinutes(5))) {
                    throw new IllegalStateException("memory: the consumer stopped at " + sink.seen());
                }
                source.publishAll(chunk, "mem-" + published);
                published += chunk;
                if (published % step == 0 || published == total) {
                    long target = published;
                    BenchApp.waitFor(() -> sink.seen() >= target, Duration.ofMinutes(5));
                    samples.add(new Sample(published, Memory.liveHeapMiB(), Memory.rssMiB()));
                }
            }
        } finally {
            app.close();
            BenchApp.reset(connection, jpa, stream);
        }
        long growth = samples.get(samples.size() - 1).liveHeapMiB() - samples.get(Math.min(1, samples.size() - 1))
                .liveHeapMiB();
        return new Result(total, samples, growth);
    }
}
