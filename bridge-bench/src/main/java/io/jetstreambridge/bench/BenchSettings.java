package io.jetstreambridge.bench;

import java.time.Duration;

/**
 * How much each figure measures. {@link #full()} is sized so the whole bench (with the Hibernate rows) takes about 15-25
 * minutes on a 2-core machine; {@link #quick()} checks that every figure runs, in about 3-5 minutes, with noisier numbers.
 *
 * @param syncPublishes      B0/B1 synchronous publishes (one ack round trip each)
 * @param asyncPublishes     B0/B1 pipelined publishes, also the messages B0 fetches and acks
 * @param relayRows          B2 pending outbox rows drained by the relay
 * @param consumerEvents     B4 events consumed per setting with batching
 * @param perMessageEvents   B4 events consumed with one transaction per message (batch-size 1), the old path
 * @param endToEndRun        B3 length of each latency run, and the JIT warm-up's limit in run lengths
 * @param endToEndRound      B3/B3p length of each run in the alternating rounds (writers alone, producer side,
 *                           end to end)
 * @param memoryEvents       events pushed through publisher and consumer while the heap is watched
 */
record BenchSettings(String mode, int syncPublishes, int asyncPublishes, int relayRows, int consumerEvents,
                     int perMessageEvents, Duration endToEndRun, Duration endToEndRound, int memoryEvents) {

    static BenchSettings full() {
        return new BenchSettings("full", 20_000, 300_000, 100_000, 100_000, 5_000, Duration.ofSeconds(30),
                Duration.ofSeconds(10), 1_000_000);
    }

    static BenchSettings quick() {
        return new BenchSettings("quick", 2_000, 50_000, 20_000, 10_000, 1_000, Duration.ofSeconds(5), Duration.ofSeconds(3),
                50_000);
    }
}
