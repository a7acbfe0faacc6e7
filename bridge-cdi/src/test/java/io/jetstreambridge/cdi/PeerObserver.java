package io.jetstreambridge.cdi;

import io.jetstreambridge.consume.EventType;
import io.jetstreambridge.consume.JetstreamEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The one observer of an application with several peers: it writes the effect of each event, records which peer sent
 * it (the subject and the envelope's producer), and fails or waits on demand for one peer's events.
 */
@ApplicationScoped
public class PeerObserver {

    /** One call: the event, the subject it came on and the producer its envelope names. */
    record Call(String eventId, String subject, String producer) {
    }

    @Inject
    EntityManager em;

    private final Queue<Call> calls = new ConcurrentLinkedQueue<>();
    private final Set<String> failOnce = ConcurrentHashMap.newKeySet();
    private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();

    // tests reach the bean through its client proxy: state only through methods
    List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The first delivery of this event fails after writing its effect (rolled back), the next succeeds. */
    void failOnce(String eventId) {
        failOnce.add(eventId);
    }

    /** Holds the worker on every event of this producer until {@link #release}. */
    void hold(String producer) {
        gates.put(producer, new CountDownLatch(1));
    }

    void release(String producer) {
        CountDownLatch gate = gates.remove(producer);
        if (gate != null) {
            gate.countDown();
        }
    }

    void onInvoice(@Observes @EventType("invoice.created") JetstreamEvent event) throws InterruptedException {
        String producer = event.producer().orElse("");
        calls.add(new Call(event.eventId(), event.subject(), producer));
        CountDownLatch gate = gates.get(producer);
        if (gate != null && !gate.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test never released " + producer);
        }
        em.persist(new InvoiceEffect(event.eventId(), producer));
        em.flush();
        if (failOnce.remove(event.eventId())) {
            throw new IllegalStateException("shipping's invoice service unavailable");
        }
    }
}
