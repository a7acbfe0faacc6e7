package io.jetstreambridge.reliability.app;

import io.jetstreambridge.consume.EventType;
import io.jetstreambridge.consume.JetstreamEvent;
import io.jetstreambridge.consume.UnrecoverableEventException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The consuming application's observer: one {@link Observed} row per order event, in the bridge's transaction.
 * The payload's {@code behaviour} makes it fail on purpose ({@code throw}: always; {@code unrecoverable}: the
 * "never retry" exception; {@code stack-overflow}: recursion until {@link StackOverflowError}) or take its time
 * ({@code slow}: {@code fault.slow-millis}, default 250 ms, after which it writes its row). While a slow order's
 * observer runs, a second run of it for the same order at the same time prints {@code FAULT-OVERLAP {order}}.
 *
 * <p>Fault hook (F4): with {@code fault.halt-after-commits=K} the JVM halts right after the K-th committed
 * observer transaction, inside the transaction's {@code afterCompletion}: the effect is durable and the engine,
 * which acks only after {@code commit()} returns, never acks it. That is "killed between commit and ack", made
 * deterministic.
 */
@ApplicationScoped
public class BenchObserver {

    private static final int HALT_AFTER = Integer.getInteger("fault.halt-after-commits", 0);
    private static final String INSTANCE = System.getProperty("fault.instance", "consumer");

    private static final long SLOW_MILLIS = Long.getLong("fault.slow-millis", 250);

    private final AtomicInteger commits = new AtomicInteger();
    private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();

    @Inject
    EntityManager em;

    @Inject
    TransactionSynchronizationRegistry transactions;

    void onOrder(@Observes @EventType(BenchOrderService.EVENT_TYPE) JetstreamEvent event) {
        JsonObject payload = event.payload().asJsonObject();
        String order = payload.getString("order");
        if (payload.containsKey("note")) { // F12: the event must arrive exactly as published, or it is lost
            String changed = UnicodeSamples.note(order).equals(payload.getString("note")) ? null : "payload note";
            if (!event.resourceId().orElse("").equals(UnicodeSamples.resourceId(order))) {
                changed = "resource id";
            }
            if (!java.util.List.of(order).equals(event.headers().get("x-order"))) {
                changed = "header x-order";
            }
            if (changed != null) {
                throw new UnrecoverableEventException("order " + order + " arrived with its " + changed
                        + " changed");
            }
        }
        switch (payload.getString("behaviour", "ok")) {
            case "unrecoverable" -> throw new UnrecoverableEventException("order " + order + " is refused for good");
            case "throw" -> throw new IllegalStateException("billing fails for order " + order + " every time");
            case "stack-overflow" -> recurse(order.length());
            case "slow" -> {
                AtomicInteger now = running.computeIfAbsent(order, ignored -> new AtomicInteger());
                if (now.incrementAndGet() > 1) {
                    System.out.println("FAULT-OVERLAP " + order);
                }
                try {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(SLOW_MILLIS));
                    em.persist(new Observed(order, event.eventId(), INSTANCE));
                } finally {
                    now.decrementAndGet();
                }
            }
            default -> {
                em.persist(new Observed(order, event.eventId(), INSTANCE));
                if (HALT_AFTER > 0) {
                    transactions.registerInterposedSynchronization(new HaltAfterCommit(event.eventId()));
                }
            }
        }
    }

    /** Runaway recursion, as a bug in an observer would have it. */
    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    /** Halts the JVM after the configured number of commits, before the engine can ack. */
    private final class HaltAfterCommit implements Synchronization {
        private final String eventId;

        HaltAfterCommit(String eventId) {
            this.eventId = eventId;
        }

        @Override
        public void beforeCompletion() {
            // nothing before: the point is after the commit
        }

        @Override
        public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED && commits.incrementAndGet() == HALT_AFTER) {
                System.out.println("FAULT-HALT committed " + eventId + ", halting before the ack");
                System.out.flush();
                Runtime.getRuntime().halt(99);
            }
        }
    }
}
