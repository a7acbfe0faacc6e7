package io.jetstreambridge.outbox.cdi;

import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.publish.Publisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Map;

/** An application service telling both its peers about an order, in the order's transaction. */
@ApplicationScoped
public class FanOutOrderService {

    @Inject
    EntityManager em;

    @Inject
    Publisher publisher;

    @Transactional
    public List<PublishResult> create(String orderId, boolean failAfterPublishing) {
        em.persist(new TestOrder(orderId));
        List<PublishResult> results = publisher.fanOut(OutgoingEvent.builder("order.created", Map.of("id", orderId))
                .eventId("order-" + orderId).build(), "billing", "shipping");
        if (failAfterPublishing) {
            throw new IllegalStateException("payment declined");
        }
        return results;
    }
}
