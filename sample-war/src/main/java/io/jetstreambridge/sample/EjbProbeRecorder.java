package io.jetstreambridge.sample;

import io.jetstreambridge.consume.EventType;
import io.jetstreambridge.consume.JetstreamEvent;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * An observer on an EJB business method (the {@code billing} application): {@code MANDATORY} makes the container
 * join the caller's transaction, which is the bridge's, or fail. It records the event only after seeing, inside that
 * transaction, the inbox row the bridge wrote for it before calling the observers: not yet committed, so invisible
 * to any other transaction. Otherwise it throws, the delivery rolls back and the event is never recorded.
 */
@Stateless
public class EjbProbeRecorder {

    @PersistenceContext(unitName = "sample")
    EntityManager em;

    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void probeReceived(@Observes @EventType(EjbProbes.EVENT_TYPE) JetstreamEvent event) {
        long inboxRows = em.createQuery("select count(e) from InboxEvent e where e.eventId = :id", Long.class)
                .setParameter("id", event.eventId())
                .getSingleResult();
        if (inboxRows != 1) {
            throw new IllegalStateException("the observer of " + event.eventId() + " does not see the bridge's inbox "
                    + "row: it runs outside the bridge's transaction");
        }
        em.persist(new ReceivedEvent(event));
    }
}
