package io.jetstreambridge.bench;

import io.jetstreambridge.consume.JetstreamEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * The observer of B3 and B4: counts what it sees, and when it first and last saw something; with
 * {@link #recordTimes} on it also keeps, per event id, when it saw it (B3's latency). Inside the bridge's
 * transaction, with the inbox on, like an application's observer.
 */
@ApplicationScoped
public class BenchSink {

    private final AtomicLong seen = new AtomicLong();
    private final LongAccumulator first = new LongAccumulator(Math::min, Long.MAX_VALUE);
    private final LongAccumulator last = new LongAccumulator(Math::max, Long.MIN_VALUE);
    private final Map<String, Long> seenAt = new ConcurrentHashMap<>();
    private volatile boolean recordTimes;

    void on(@Observes JetstreamEvent event) {
        long now = System.nanoTime();
        seen.incrementAndGet();
        first.accumulate(now);
        last.accumulate(now);
        if (recordTimes) {
            seenAt.putIfAbsent(event.eventId(), now);
        }
    }

    public long seen() {
        return seen.get();
    }

    /** Events per second between the first and the last one seen. */
    public double rate() {
        long count = seen.get();
        return count < 2 ? 0 : Figures.perSecond(count - 1, last.get() - first.get());
    }

    public Map<String, Long> seenAt() {
        return seenAt;
    }

    public void recordTimes(boolean on) {
        recordTimes = on;
    }

    public void reset() {
        seen.set(0);
        first.reset();
        last.reset();
        seenAt.clear();
    }
}
