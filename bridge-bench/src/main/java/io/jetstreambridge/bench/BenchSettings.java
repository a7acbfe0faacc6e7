package io.jetstreambridge.bench;

import java.time.Duration;

/**
 * How much each figure measures. {@link #full()} is sized so the whole bench takes about 8-15 minutes on a 2-core
 * machine; {@link #quick()} checks that every figure runs, in about 3-5 minutes, with noisier numbers.
 *
 * @param syncPublishes      B0/B1 synchronous publishes (one ack round trip each)
 * @param asyncPublishes     B0/B1 pipelined publishes, also the messages B0 fetches and acks
 * @param relayRows          B2 pending outbox rows drained by the relay
 * @param consumerEvents     B4 events consumed per setting with batching
 * @param perMessageEvents   B4 events consumed with one transaction per message (batch-size 1), the old path
 * @param endToEndRun        B3 length of each measured run
 * @param memoryEvents       events pushed through publisher and consumer while the heap is watched
 */
record BenchSettings(String mode, int syncPublishes, int asyncPublishes, int relayRows, int consumerEvents,
                     int perMessageEvents, Duration endToEndRun, int memoryEvents) {

    static BenchSettings full() {
        return new BenchSettings("full", 20_000, 300_000, 100_000, 100_000, 5_000, Duration.ofSeconds(30),
                1_000_000);
    }

    static BenchSettings quick() {
        return new BenchSettings("quick", 2_000, 50_000, 20_000, 10_000, 1_000, Duration.ofSeconds(5), 50_000);
    }
}
