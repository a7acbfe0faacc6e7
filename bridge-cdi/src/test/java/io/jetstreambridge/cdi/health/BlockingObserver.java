package io.jetstreambridge.cdi.health;

import io.jetstreambridge.consume.EventType;
import io.jetstreambridge.consume.JetstreamEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** An observer that holds the consumer's worker until the test lets it go, as a hung downstream call would. */
@ApplicationScoped
class BlockingObserver {

    private final AtomicInteger calls = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile String heldProducer;

    void on(@Observes @EventType("invoice.created") JetstreamEvent event) throws InterruptedException {
        calls.incrementAndGet();
        String producer = heldProducer;
        if (producer != null && !producer.equals(event.producer().orElse(null))) {
            return;
        }
        if (!gate.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test never released the observer");
        }
    }

    void hold() {
        heldProducer = null;
        gate = new CountDownLatch(1);
    }

    /** Holds only the events this producer (one peer of several) sent. */
    void hold(String producer) {
        heldProducer = producer;
        gate = new CountDownLatch(1);
    }

    void release() {
        gate.countDown();
    }

    int calls() {
        return calls.get();
    }
}
