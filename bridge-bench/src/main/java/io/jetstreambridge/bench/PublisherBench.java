package io.jetstreambridge.bench;

import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.core.publish.JetStreamPublisher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** B1: the direct {@code Publisher} engine, synchronous ({@code publish}) and pipelined ({@code publishAll}). */
final class PublisherBench {

    /** Events handed to one {@code publishAll} call. */
    static final int CHUNK = 10_000;

    record Result(double syncPublish, double publishAll) {
    }

    private final JetStreamPublisher publisher;

    PublisherBench(JetStreamPublisher publisher) {
        this.publisher = publisher;
    }

    static OutgoingEvent event(String kind, long i) {
        return OutgoingEvent.builder("order.created", Map.of("id", kind + "-" + i, "total", i % 1000)).build();
    }

    /** Synchronous publishes per second over {@code count} events. */
    double syncRound(String kind, int count) {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            publisher.publish(event(kind, i));
        }
        return Figures.perSecond(count, System.nanoTime() - start);
    }

    /** Pipelined publishes per second over {@code count} events. */
    double allRound(String kind, int count) {
        long start = System.nanoTime();
        publishAll(count, kind);
        return Figures.perSecond(count, System.nanoTime() - start);
    }

    /** Publishes {@code count} events in {@link #CHUNK}s; fails when any is not accepted. */
    void publishAll(int count, String kind) {
        for (int from = 0; from < count; from += CHUNK) {
            List<OutgoingEvent> events = new ArrayList<>(CHUNK);
            for (int i = from; i < Math.min(count, from + CHUNK); i++) {
                events.add(event(kind, i));
            }
            for (PublishResult result : publisher.publishAll(events)) {
                if (!result.accepted()) {
                    throw new IllegalStateException("publishAll: event " + result.eventId() + " not accepted: "
                            + result);
                }
            }
        }
    }
}
