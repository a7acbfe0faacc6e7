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

/** {@code orders} with several peers: each order and its events in one transaction, through the outbox. */
@ApplicationScoped
public class PeerOrderService {

    @Inject
    EntityManager em;

    @Inject
    Publisher publisher;

    /** An order every peer named hears of: one copy each, event id {@code {orderId}:{peer}}. */
    @Transactional
    public List<PublishResult> placeForAll(String orderId, String... peers) {
        em.persist(new TestOrder(orderId));
        return publisher.fanOut(OutgoingEvent.builder("order.created", Map.of("id", orderId)).eventId(orderId)
                .build(), peers);
    }

    /** An order only one peer hears of, with the order id as the event id. */
    @Transactional
    public PublishResult placeFor(String peer, String orderId) {
        em.persist(new TestOrder(orderId));
        return publisher.publish(OutgoingEvent.builder("order.created", Map.of("id", orderId)).eventId(orderId)
                .destination(peer).build());
    }
}
