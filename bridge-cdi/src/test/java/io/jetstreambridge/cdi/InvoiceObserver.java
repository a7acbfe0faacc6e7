package io.jetstreambridge.cdi;

import io.jetstreambridge.consume.EventType;
import io.jetstreambridge.consume.JetstreamEvent;
import io.jetstreambridge.consume.ResourceType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import jakarta.transaction.TransactionSynchronizationRegistry;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** The application's observers in consumer tests: write the effect, and fail on demand. */
@ApplicationScoped
public class InvoiceObserver {

    @Inject
    EntityManager em;

    @Inject
    TransactionSynchronizationRegistry transactions;

    private final Queue<String> calls = new ConcurrentLinkedQueue<>();
    private final Queue<String> allEvents = new ConcurrentLinkedQueue<>();
    private final Queue<String> otherTypes = new ConcurrentLinkedQueue<>();
    private final AtomicInteger failuresToThrow = new AtomicInteger();
    private final AtomicReference<Duration> slowNext = new AtomicReference<>(Duration.ZERO);
    private final Queue<String> everything = new ConcurrentLinkedQueue<>();
    private final Set<String> alwaysFailing = ConcurrentHashMap.newKeySet();
    private final Map<String, Object> transactionOf = new ConcurrentHashMap<>();

    // tests reach the bean through its client proxy: state only through methods
    Queue<String> calls() {
        return calls;
    }

    Queue<String> allEvents() {
        return allEvents;
    }

    Queue<String> otherTypes() {
        return otherTypes;
    }

    void failNext(int times) {
        failuresToThrow.set(times);
    }

    void slowNext(Duration duration) {
        slowNext.set(duration);
    }

    Queue<String> everything() {
        return everything;
    }

    void failAlways(String eventId) {
        alwaysFailing.add(eventId);
    }

    /** The transaction each event's last observer call ran in, by event id. */
    Map<String, Object> transactionOf() {
        return transactionOf;
    }

    @Audited
    void onInvoice(@Observes @EventType("invoice.created") JetstreamEvent event) throws InterruptedException {
        calls.add(event.eventId());
        em.persist(new InvoiceEffect(event.eventId(), event.resourceId().orElse(null)));
        em.flush();
        transactionOf.put(event.eventId(), transactions.getTransactionKey());
        if (alwaysFailing.contains(event.eventId())) {
            throw new IllegalStateException("poison invoice " + event.eventId());
        }
        if (failuresToThrow.getAndDecrement() > 0) {
            throw new IllegalStateException("invoice service unavailable");
        }
        Duration slow = slowNext.getAndSet(Duration.ZERO);
        if (!slow.isZero()) {
            new CountDownLatch(1).await(slow.toMillis(), TimeUnit.MILLISECONDS); // work that takes this long
        }
    }

    void onAnything(@Observes JetstreamEvent event) {
        everything.add(event.eventId());
    }

    void onEveryInvoiceResource(@Observes @ResourceType("invoice") JetstreamEvent event) {
        allEvents.add(event.eventId());
    }

    void onOtherTypes(@Observes @EventType("invoice.voided") JetstreamEvent event) {
        otherTypes.add(event.eventId());
    }
}
