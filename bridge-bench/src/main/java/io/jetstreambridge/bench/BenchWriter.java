package io.jetstreambridge.bench;

import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.Publisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.Map;

/** The application service of B3, as users write it: a business row and (optionally) its event in one transaction. */
@ApplicationScoped
public class BenchWriter {

    /** Where B3's events go: the consume subject of the same application, so one container is both ends. */
    static final String LOOPBACK_SUBJECT = "sink.sync.bench";

    @Inject
    EntityManager em;

    @Inject
    Publisher publisher;

    @Transactional
    public void place(String id, int total, boolean publish) {
        em.persist(new BenchOrder(id, total));
        if (publish) {
            publisher.publish(OutgoingEvent.builder("order.created", Map.of("id", id, "total", total))
                    .eventId(id).subject(LOOPBACK_SUBJECT).build());
        }
    }
}
