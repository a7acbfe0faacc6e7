package io.jetstreambridge.publish;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Publishes events on {@code {app}.sync.{destination}} in the wire format of {@code jetstream_bridge}, with
 * {@code Nats-Msg-Id} set to the event id so JetStream drops copies inside its duplicate window.
 *
 * <p>Inject it: {@code @Inject Publisher publisher;}. With the transactional outbox on, publishing inside a JTA
 * transaction writes an outbox row and returns {@link PublishResult.Outcome#PENDING}; otherwise it sends at once.
 *
 * <p>Failures: invalid input (no event type, a payload JSON-B cannot serialise, a destination that is not one of the
 * configured peers, or none while there are several) throws {@link IllegalArgumentException} before anything is
 * sent; for {@link #publishAll} and {@link #fanOut}, before any event of the call is. Transient failures (ack timeouts, no responders
 * while the server restarts or elects a leader) are retried with the same message id. When attempts run out or
 * the server refuses the event, {@link #publish} throws {@link PublishException}, {@link #publishAsync} completes
 * exceptionally with it, and {@link #publishAll} reports it as a {@link PublishResult.Outcome#FAILED} result
 * so that one event's failure does not hide the others' outcome.
 */
public interface Publisher {

    /** Publishes one event and waits for JetStream's ack. */
    default PublishResult publish(String eventType, Object payload) {
        return publish(OutgoingEvent.of(eventType, payload));
    }

    /** Publishes one event and waits for JetStream's ack. */
    PublishResult publish(OutgoingEvent event);

    /** Publishes one event without blocking the caller; the stage completes with JetStream's ack. */
    CompletionStage<PublishResult> publishAsync(OutgoingEvent event);

    /**
     * Publishes events pipelined (a bounded number in flight) and waits for all acks. Results come in the order
     * of the events; failed events are results with outcome {@code FAILED}, not exceptions.
     */
    List<PublishResult> publishAll(List<OutgoingEvent> events);

    /**
     * Publishes a copy of one event to each of several peers ({@code jetstream.bridge.destination-apps}), in one
     * call: with the outbox on and a transaction active, one outbox row per destination in the caller's transaction.
     * Each copy has an id of its own ({@link OutgoingEvent#forDestination}), so each peer's copy is deduplicated on
     * its own; they share the trace id. Results come in the order of the destinations, as with {@link #publishAll}.
     *
     * @throws IllegalArgumentException when no destination is given, one is given twice, or the event already names
     *                                  a subject or a destination
     */
    default List<PublishResult> fanOut(OutgoingEvent event, String... destinations) {
        return publishAll(FanOut.copies(event, List.of(destinations)));
    }
}
