package io.jetstreambridge.runtime.cdi;

import io.jetstreambridge.consume.EventType;
import io.jetstreambridge.consume.JetstreamEvent;
import io.jetstreambridge.consume.ResourceType;
import jakarta.enterprise.event.Event;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fires a received event with its {@code @EventType} and {@code @ResourceType} qualifiers, through one CDI event per
 * pair of types, selected once. Selecting per message made Weld build a new event and resolve its observers every
 * time: a sixth of a consumer thread's time. At most {@link #MAX_CACHED} pairs are kept, so messages with ever new
 * types cannot grow the cache without bound; beyond that an event is selected per message, as before.
 */
final class QualifiedEvents {

    static final int MAX_CACHED = 1024;

    private record Types(String eventType, String resourceType) {
    }

    private final Event<Object> events;
    private final Map<Types, Event<JetstreamEvent>> selected = new ConcurrentHashMap<>();

    QualifiedEvents(Event<Object> events) {
        this.events = Objects.requireNonNull(events, "events");
    }

    void fire(JetstreamEvent event) {
        Types types = new Types(event.eventType(), event.resourceType());
        Event<JetstreamEvent> qualified = selected.get(types);
        if (qualified == null) {
            qualified = select(types);
            if (selected.size() < MAX_CACHED) {
                selected.putIfAbsent(types, qualified);
            }
        }
        qualified.fire(event);
    }

    private Event<JetstreamEvent> select(Types types) {
        return events.select(JetstreamEvent.class, EventType.Literal.of(types.eventType()),
                ResourceType.Literal.of(types.resourceType()));
    }

    int cached() {
        return selected.size();
    }
}
