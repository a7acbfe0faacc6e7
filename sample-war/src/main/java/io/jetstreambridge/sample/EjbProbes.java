package io.jetstreambridge.sample;

import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.Publisher;
import jakarta.annotation.Resource;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.json.Json;

/**
 * Enterprise code publishing from a {@code @Stateless} bean with container-managed transactions (the
 * {@code orders} application, driven by the test hooks' {@link EjbProbesResource}): each method publishes one
 * {@value #EVENT_TYPE} event carrying a marker through the outbox, and the container decides whether its transaction
 * commits. The event leaves exactly when it does: the outbox row is part of the transaction. It goes to billing (whose
 * {@link EjbProbeRecorder} records it): orders has two peers, so each event names its own.
 */
@Stateless
public class EjbProbes {

    public static final String EVENT_TYPE = "ejb.probe";

    @Inject
    Publisher publisher;

    @Resource
    SessionContext context;

    /** REQUIRED (the default): the container's transaction commits when the method returns. */
    public void publish(String marker) {
        publisher.publish(OutgoingEvent.builder(EVENT_TYPE, Json.createObjectBuilder().add("marker", marker).build())
                .resourceType("probe")
                .resourceId(marker)
                .destination(SampleRole.BILLING)
                .build());
    }

    /** A transaction of its own, which commits whatever becomes of the caller's. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void publishInNewTransaction(String marker) {
        publish(marker);
    }

    /**
     * Publishes {@code outer} in this transaction and {@code inner} in a new one (through the container, so the
     * attribute applies), then marks this one rollback-only: {@code inner} leaves, {@code outer} does not.
     */
    public void publishInsideARolledBackTransaction(String outer, String inner) {
        publish(outer);
        context.getBusinessObject(EjbProbes.class).publishInNewTransaction(inner);
        context.setRollbackOnly();
    }

    public void publishThenSetRollbackOnly(String marker) {
        publish(marker);
        context.setRollbackOnly();
    }

    /** A system exception: the container rolls back and throws an {@code EJBException} to the caller. */
    public void publishThenFail(String marker) {
        publish(marker);
        throw new IllegalStateException("system exception after publishing " + marker);
    }

    /** An application exception: thrown as it is; the transaction rolls back or commits as its annotation says. */
    public void publishThenThrow(String marker, boolean rollback) {
        publish(marker);
        if (rollback) {
            throw new ProbeRejected("rolled back after publishing " + marker);
        }
        throw new ProbeDeclined("committed anyway after publishing " + marker);
    }
}
