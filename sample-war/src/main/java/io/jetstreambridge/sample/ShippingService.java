package io.jetstreambridge.sample;

import io.jetstreambridge.consume.EventType;
import io.jetstreambridge.consume.JetstreamEvent;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.Publisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.util.List;
import java.util.logging.Logger;

/**
 * The {@code shipping} application: for each {@code order.created} it stores a shipment and publishes
 * {@code shipment.created}, all in the bridge's transaction (inbox row, shipment and outbox row commit together;
 * the message is acknowledged after that commit), as billing does with invoices. Its one peer is orders.
 */
@ApplicationScoped
public class ShippingService {

    private static final Logger LOG = Logger.getLogger(ShippingService.class.getName());

    @PersistenceContext(unitName = "sample")
    EntityManager em;

    @Inject
    Publisher publisher;

    @Inject
    SampleRole role;

    void orderCreated(@Observes @EventType("order.created") JetstreamEvent event) {
        if (!role.is(SampleRole.SHIPPING)) {
            return; // billing (the same WAR) receives order.created too: BillingService's part
        }
        em.persist(new ReceivedEvent(event));
        JsonObject order = event.payload().asJsonObject();
        long orderId = order.getJsonNumber("order_id").longValueExact();
        Shipment shipment = new Shipment(orderId, order.getString("customer"));
        em.persist(shipment);
        em.flush(); // assigns the id the event carries
        publisher.publish(OutgoingEvent.builder("shipment.created", Json.createObjectBuilder()
                        .add("shipment_id", shipment.getId())
                        .add("order_id", orderId)
                        .build())
                .resourceType("shipment")
                .resourceId(String.valueOf(shipment.getId()))
                .build());
        LOG.info(() -> "shipment " + shipment.getId() + " created for order " + orderId);
    }

    public List<Shipment> all() {
        return em.createQuery("select s from Shipment s order by s.id", Shipment.class).getResultList();
    }
}
