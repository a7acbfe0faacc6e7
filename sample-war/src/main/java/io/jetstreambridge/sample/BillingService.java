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
 * The {@code billing} application: for each {@code order.created} it stores an invoice and publishes
 * {@code invoice.created}, all in the bridge's transaction (inbox row, invoice and outbox row commit together;
 * the message is acknowledged after that commit).
 */
@ApplicationScoped
public class BillingService {

    private static final Logger LOG = Logger.getLogger(BillingService.class.getName());

    @PersistenceContext(unitName = "sample")
    EntityManager em;

    @Inject
    Publisher publisher;

    @Inject
    ObserverGate gate;

    @Inject
    SampleRole role;

    void orderCreated(@Observes @EventType("order.created") JetstreamEvent event) {
        if (!role.is(SampleRole.BILLING)) {
            return; // shipping (the same WAR) receives order.created too: ShippingService's part
        }
        gate.pass(); // returns at once unless a test closed the gate (sample.test-hooks)
        em.persist(new ReceivedEvent(event));
        JsonObject order = event.payload().asJsonObject();
        long orderId = order.getJsonNumber("order_id").longValueExact();
        Invoice invoice = new Invoice(orderId, order.getString("customer"),
                order.getJsonNumber("amount").bigDecimalValue());
        em.persist(invoice);
        em.flush(); // assigns the id the event carries
        publisher.publish(OutgoingEvent.builder("invoice.created", Json.createObjectBuilder()
                        .add("invoice_id", invoice.getId())
                        .add("order_id", orderId)
                        .add("amount", invoice.getAmount())
                        .build())
                .resourceType("invoice")
                .resourceId(String.valueOf(invoice.getId()))
                .build());
        LOG.info(() -> "invoice " + invoice.getId() + " created for order " + orderId);
    }

    public List<Invoice> all() {
        return em.createQuery("select i from Invoice i order by i.id", Invoice.class).getResultList();
    }
}
