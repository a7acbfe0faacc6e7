package io.jetstreambridge.publish;

import io.jetstreambridge.envelope.EnvelopeFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/** The copies {@link Publisher#fanOut} publishes: one per destination, checked before anything is sent. */
final class FanOut {

    private FanOut() {
    }

    static List<OutgoingEvent> copies(OutgoingEvent event, List<String> destinations) {
        Objects.requireNonNull(event, "event");
        if (destinations.isEmpty()) {
            throw new IllegalArgumentException("fanOut needs at least one destination");
        }
        if (event.subject() != null || event.destination() != null) {
            throw new IllegalArgumentException("fanOut chooses each copy's destination; event '" + event.eventType()
                    + "' names " + (event.subject() != null ? "the subject '" + event.subject() + "'"
                    : "the destination '" + event.destination() + "'") + " already");
        }
        if (new HashSet<>(destinations).size() != destinations.size()) {
            throw new IllegalArgumentException("fanOut destinations " + destinations + " name a peer twice");
        }
        String traceId = event.traceId() != null ? event.traceId() : EnvelopeFactory.newTraceId();
        return destinations.stream().map(destination -> event.forDestination(destination, traceId)).toList();
    }
}
