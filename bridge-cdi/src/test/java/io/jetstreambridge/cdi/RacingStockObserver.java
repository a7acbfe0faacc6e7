package io.jetstreambridge.cdi;

import io.jetstreambridge.consume.EventType;
import io.jetstreambridge.consume.JetstreamEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Observes {@code stock.reserved}: records the event id of every call, and on demand holds the first call until
 * the test lets it go (so a second delivery of the same event can race it).
 */
@ApplicationScoped
public class RacingStockObserver {

    private final Queue<String> calls = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean holdFirst = new AtomicBoolean();
    private final CountDownLatch firstEntered = new CountDownLatch(1);
    private final CountDownLatch releaseFirst = new CountDownLatch(1);

    // tests reach the bean through its client proxy: state only through methods
    List<String> calls() {
        return List.copyOf(calls);
    }

    void holdFirstCall() {
        holdFirst.set(true);
    }

    boolean firstCallWaiting() {
        return firstEntered.getCount() == 0;
    }

    void releaseFirstCall() {
        releaseFirst.countDown();
    }

    void onStock(@Observes @EventType("stock.reserved") JetstreamEvent event) throws InterruptedException {
        calls.add(event.eventId());
        if (holdFirst.getAndSet(false)) {
            firstEntered.countDown();
            if (!releaseFirst.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the first call");
            }
        }
    }
}
