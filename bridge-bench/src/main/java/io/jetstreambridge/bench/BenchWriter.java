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

    /** What a business transaction publishes. */
    public enum Publishing {
        /** nothing: the writers without publishing, B3's baseline */
        NONE(null),
        /**
         * an event on the application's own publish subject ({@code bench.sync.sink}), which nothing in the bench
         * consumes: B3p, the producer side alone (outbox row, relay, JetStream)
         */
        PRODUCER_ONLY("bench.sync.sink"),
        /** an event on the consume subject of the same application, so one container is both ends: B3 */
        END_TO_END("sink.sync.bench");

        private final String subject;

        Publishing(String subject) {
            this.subject = subject;
        }

        String subject() {
            return subject;
        }
    }

    @Inject
    EntityManager em;

    @Inject
    Publisher publisher;

    @Transactional
    public void place(String id, int total, Publishing publishing) {
        em.persist(new BenchOrder(id, total));
        if (publishing != Publishing.NONE) {
            publisher.publish(OutgoingEvent.builder("order.created", Map.of("id", id, "total", total))
                    .eventId(id).subject(publishing.subject()).build());
        }
    }
}
