package io.jetstreambridge.cdi;

import io.jetstreambridge.consume.EventType;
import io.jetstreambridge.consume.JetstreamEvent;
import io.jetstreambridge.consume.ResourceType;
import jakarta.enterprise.event.Event;

import java.lang.annotation.Annotation;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * Fires a received event with its {@code @EventType} and {@code @ResourceType} qualifiers, through one CDI event per
 * pair of types, selected once. Selecting per message made Weld build a new event and resolve its observers every
 * time: a sixth of a consumer thread's time. Whether any observer matches the pair is resolved at the same moment
 * ({@code BeanManager.resolveObserverMethods}) and cached with it; an event no observer matches goes to the
 * {@code unobserved} handler instead. At most {@link #MAX_CACHED} pairs are kept, so messages with ever new types
 * cannot grow the cache without bound; beyond that an event is selected and resolved per message, as before.
 */
final class QualifiedEvents {

    static final int MAX_CACHED = 1024;

    private record Types(String eventType, String resourceType) {

        Annotation[] qualifiers() {
            return new Annotation[] {EventType.Literal.of(eventType), ResourceType.Literal.of(resourceType)};
        }
    }

    private record Selected(Event<JetstreamEvent> event, boolean observed) {
    }

    private final Event<Object> events;
    private final BiPredicate<JetstreamEvent, Annotation[]> observed;
    private final Consumer<JetstreamEvent> unobserved;
    private final Map<Types, Selected> selected = new ConcurrentHashMap<>();

    /** Every event counts as observed. */
    QualifiedEvents(Event<Object> events) {
        this(events, (event, qualifiers) -> true, event -> { });
    }

    /**
     * @param observed   whether any observer matches an event with these qualifiers
     * @param unobserved what happens to an event no observer matches (it may throw: not done)
     */
    QualifiedEvents(Event<Object> events, BiPredicate<JetstreamEvent, Annotation[]> observed,
                    Consumer<JetstreamEvent> unobserved) {
        this.events = Objects.requireNonNull(events, "events");
        this.observed = Objects.requireNonNull(observed, "observed");
        this.unobserved = Objects.requireNonNull(unobserved, "unobserved");
    }

    void fire(JetstreamEvent event) {
        Types types = new Types(event.eventType(), event.resourceType());
        Selected qualified = selected.get(types);
        if (qualified == null) {
            qualified = select(types, event);
            if (selected.size() < MAX_CACHED) {
                selected.putIfAbsent(types, qualified);
            }
        }
        if (qualified.observed()) {
            qualified.event().fire(event);
        } else {
            unobserved.accept(event);
        }
    }

    private Selected select(Types types, JetstreamEvent event) {
        Annotation[] qualifiers = types.qualifiers();
        return new Selected(events.select(JetstreamEvent.class, qualifiers), observed.test(event, qualifiers));
    }

    int cached() {
        return selected.size();
    }
}
