package io.jetstreambridge.outbox.cdi;

import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.publish.Publisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.Map;

/** An application service as users write it: business data and the event in one transaction. */
@ApplicationScoped
public class OrderService {

    @Inject
    EntityManager em;

    @Inject
    Publisher publisher;

    @Transactional
    public PublishResult create(String orderId, boolean failAfterPublishing) {
        em.persist(new TestOrder(orderId));
        PublishResult result = publisher.publish("order.created", Map.of("id", orderId));
        if (failAfterPublishing) {
            throw new IllegalStateException("payment declined");
        }
        return result;
    }

    /** An order whose event carries a note of any size. */
    @Transactional
    public PublishResult createWithNote(String orderId, String note) {
        em.persist(new TestOrder(orderId));
        return publisher.publish("order.created", Map.of("id", orderId, "note", note));
    }
}
