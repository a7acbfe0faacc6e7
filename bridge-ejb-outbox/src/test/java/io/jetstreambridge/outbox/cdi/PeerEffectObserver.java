package io.jetstreambridge.outbox.cdi;

import io.jetstreambridge.consume.JetstreamEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every event an application of the several-peers tests receives, from any peer, becomes a {@link PeerEffect} in
 * its database, in the consumer's transaction. An event named with {@link #failOnce} fails its first delivery after
 * writing the row (rolled back), so that the message is redelivered.
 */
@ApplicationScoped
public class PeerEffectObserver {

    @Inject
    EntityManager em;

    private final Set<String> failOnce = ConcurrentHashMap.newKeySet();
    private final Queue<String> calls = new ConcurrentLinkedQueue<>();

    // tests reach the bean through its client proxy: state only through methods
    void failOnce(String eventId) {
        failOnce.add(eventId);
    }

    /** Every call, a redelivered event once per delivery, including the rolled-back ones. */
    Queue<String> calls() {
        return calls;
    }

    void onEvent(@Observes JetstreamEvent event) {
        calls.add(event.eventId());
        em.persist(new PeerEffect(event.eventId(), event.producer().orElse(null), event.subject()));
        em.flush();
        if (failOnce.remove(event.eventId())) {
            throw new IllegalStateException("peer effect of " + event.eventId() + " failed once, on purpose");
        }
    }
}
