package io.jetstreambridge.reliability.app;

import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.Publisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.Map;

/** The publishing application's service: the order row and its event in one transaction, as users write it. */
@ApplicationScoped
public class BenchOrderService {

    /** Event type of every order event. */
    public static final String EVENT_TYPE = "order.created";

    @Inject
    EntityManager em;

    @Inject
    Publisher publisher;

    /**
     * Commits the order and its event, or (with {@code rollback}) writes both and then fails, so neither commits.
     *
     * @param behaviour tells the consumer's observer how to react: {@code ok}, {@code throw} (always fails) or
     *                  {@code unrecoverable}
     * @param padding   extra characters in the payload (to exceed the server's max payload)
     */
    @Transactional
    public void create(String orderId, String behaviour, int padding, boolean rollback) {
        em.persist(new BenchOrder(orderId));
        em.flush();
        if (UnicodeSamples.ON) { // F12: Unicode in the resource id and the payload, the order id in a header
            publisher.publish(OutgoingEvent.builder(EVENT_TYPE, Map.of("order", orderId, "behaviour", behaviour,
                            "note", UnicodeSamples.note(orderId)))
                    .resourceType("order").resourceId(UnicodeSamples.resourceId(orderId))
                    .header("x-order", orderId).build());
        } else {
            publisher.publish(OutgoingEvent.builder(EVENT_TYPE,
                            Map.of("order", orderId, "behaviour", behaviour, "padding", "x".repeat(padding)))
                    .resourceType("order").resourceId(orderId).build());
        }
        if (rollback) {
            throw new BusinessRollback(orderId);
        }
    }

    /** The order and an event with this header and resource id (F12: ones {@code publish} must refuse). */
    @Transactional
    public void createWith(String orderId, String header, String value, String resourceId) {
        em.persist(new BenchOrder(orderId));
        em.flush();
        publisher.publish(OutgoingEvent.builder(EVENT_TYPE, Map.of("order", orderId, "behaviour", "ok"))
                .resourceType("order").resourceId(resourceId).header(header, value).build());
    }

    /** What the service throws to roll an order back on purpose. */
    public static final class BusinessRollback extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BusinessRollback(String orderId) {
            super("order " + orderId + " rolled back on purpose");
        }
    }
}
