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
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The {@code orders} application: stores an order and publishes {@code order.created} to its two peers, billing and
 * shipping, in one JTA transaction (with the outbox on, the two copies are outbox rows that exist if and only if the
 * order does); marks the order invoiced when billing's {@code invoice.created} arrives, and shipped when shipping's
 * {@code shipment.created} does (in either order).
 */
@ApplicationScoped
public class OrderService {

    private static final Logger LOG = Logger.getLogger(OrderService.class.getName());

    @PersistenceContext(unitName = "sample")
    EntityManager em;

    @Inject
    Publisher publisher;

    /**
     * Places an order. With {@code failAfterPublish} it throws after publishing, so the transaction rolls back:
     * neither the order nor its event survive.
     */
    @Transactional
    public PurchaseOrder place(String customer, BigDecimal amount, boolean failAfterPublish) {
        PurchaseOrder order = new PurchaseOrder(customer, amount);
        em.persist(order);
        em.flush(); // assigns the id the event carries
        JsonObject payload = Json.createObjectBuilder()
                .add("order_id", order.getId())
                .add("customer", customer)
                .add("amount", amount)
                .build();
        // one copy per peer, each on its own subject (orders.sync.billing, orders.sync.shipping) with its own event id
        publisher.fanOut(OutgoingEvent.builder("order.created", payload)
                .resourceType("order")
                .resourceId(String.valueOf(order.getId()))
                .build(), SampleRole.BILLING, SampleRole.SHIPPING);
        if (failAfterPublish) {
            throw new SimulatedFailure("order " + order.getId() + " failed after publishing order.created "
                    + "(?fail=true): the transaction rolls back, the order and its events with it");
        }
        return order;
    }

    public List<PurchaseOrder> all() {
        return em.createQuery("select o from PurchaseOrder o order by o.id", PurchaseOrder.class).getResultList();
    }

    public Optional<PurchaseOrder> find(long id) {
        return Optional.ofNullable(em.find(PurchaseOrder.class, id));
    }

    /** Runs in the bridge's transaction, together with the inbox row: billing has invoiced an order. */
    void invoiceCreated(@Observes @EventType("invoice.created") JetstreamEvent event) {
        em.persist(new ReceivedEvent(event));
        JsonObject invoice = event.payload().asJsonObject();
        long orderId = invoice.getJsonNumber("order_id").longValueExact();
        long invoiceId = invoice.getJsonNumber("invoice_id").longValueExact();
        PurchaseOrder order = lockedOrder(orderId);
        if (order == null) {
            LOG.warning(() -> "invoice " + invoiceId + " is for unknown order " + orderId + "; recorded only");
            return;
        }
        order.invoiced(invoiceId);
        LOG.info(() -> "order " + orderId + " invoiced by invoice " + invoiceId);
    }

    /** Runs in the bridge's transaction, together with the inbox row: shipping has shipped an order. */
    void shipmentCreated(@Observes @EventType("shipment.created") JetstreamEvent event) {
        em.persist(new ReceivedEvent(event));
        JsonObject shipment = event.payload().asJsonObject();
        long orderId = shipment.getJsonNumber("order_id").longValueExact();
        long shipmentId = shipment.getJsonNumber("shipment_id").longValueExact();
        PurchaseOrder order = lockedOrder(orderId);
        if (order == null) {
            LOG.warning(() -> "shipment " + shipmentId + " is for unknown order " + orderId + "; recorded only");
            return;
        }
        order.shipped(shipmentId);
        LOG.info(() -> "order " + orderId + " shipped by shipment " + shipmentId);
    }

    /**
     * The order, locked until the bridge's transaction ends. orders consumes its two peers on two durables, each with
     * its own workers, so one order's {@code invoice.created} and {@code shipment.created} can be observed at the
     * same moment: without the lock both would read the row before the other's change, and a provider that writes
     * every column (Hibernate) would undo the first change with the second.
     */
    private PurchaseOrder lockedOrder(long id) {
        return em.find(PurchaseOrder.class, id, LockModeType.PESSIMISTIC_WRITE);
    }
}
