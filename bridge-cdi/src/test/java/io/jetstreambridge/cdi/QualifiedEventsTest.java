package io.jetstreambridge.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetstreambridge.consume.EventType;
import io.jetstreambridge.consume.JetstreamEvent;
import io.jetstreambridge.consume.ResourceType;
import io.jetstreambridge.envelope.Envelope;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The selection cache in front of CDI's {@code Event}; routing by qualifiers through a real container is covered by
 * {@link ConsumerCdiTest}. The {@code Event} here only records what it was asked, since CDI is not under test.
 */
class QualifiedEventsTest {

    /** Records each select (with its qualifiers) and each event fired through what it returned. */
    static class RecordingEvent implements Event<Object> {
        final List<String> selects = new ArrayList<>();
        final List<String> fired = new ArrayList<>();

        private Event<Object> child(Annotation... annotations) {
            StringBuilder text = new StringBuilder();
            for (Annotation a : annotations) {
                if (a instanceof EventType type) {
                    text.append("type=").append(type.value()).append(' ');
                }
                if (a instanceof ResourceType resource) {
                    text.append("resource=").append(resource.value());
                }
            }
            String qualifiers = text.toString().trim();
            selects.add(qualifiers);
            return new RecordingEvent() {
                @Override
                public void fire(Object event) {
                    RecordingEvent.this.fired.add(qualifiers + " " + ((JetstreamEvent) event).eventId());
                }
            };
        }

        @Override
        public void fire(Object event) {
            fired.add("unqualified " + event);
        }

        @Override
        public <U> CompletionStage<U> fireAsync(U event) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U> CompletionStage<U> fireAsync(U event, NotificationOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Event<Object> select(Annotation... annotations) {
            return child(annotations);
        }

        @SuppressWarnings("unchecked")
        @Override
        public <U> Event<U> select(Class<U> subtype, Annotation... annotations) {
            return (Event<U>) child(annotations);
        }

        @SuppressWarnings("unchecked")
        @Override
        public <U> Event<U> select(TypeLiteral<U> subtype, Annotation... annotations) {
            return (Event<U>) child(annotations);
        }
    }

    private static JetstreamEvent event(String id, String eventType, String resourceType) {
        Envelope envelope = new Envelope(id, 1, eventType, "orders", "O-1", "2026-11-27T10:00:00Z",
                "00ff00ff00ff00ff", resourceType, JsonValue.EMPTY_JSON_OBJECT);
        return new JetstreamEvent(id, envelope, "orders.sync.billing", "jetstream-bridge-stream", 1, 1, Map.of(),
                (payload, type) -> null);
    }

    @Test
    void eachPairOfTypesIsSelectedOnceAndFiredWithItsQualifiers() {
        RecordingEvent cdi = new RecordingEvent();
        QualifiedEvents events = new QualifiedEvents(cdi);

        events.fire(event("e1", "order.created", "order"));
        events.fire(event("e2", "order.created", "order"));
        events.fire(event("e3", "order.paid", "order"));
        events.fire(event("e4", "order.created", "order"));

        assertThat(cdi.selects).containsExactly("type=order.created resource=order",
                "type=order.paid resource=order");
        assertThat(cdi.fired).containsExactly("type=order.created resource=order e1",
                "type=order.created resource=order e2", "type=order.paid resource=order e3",
                "type=order.created resource=order e4");
        assertThat(events.cached()).isEqualTo(2);
    }

    @Test
    void beyondTheBoundEventsAreStillFiredButNotKept() {
        RecordingEvent cdi = new RecordingEvent();
        QualifiedEvents events = new QualifiedEvents(cdi);
        int pairs = QualifiedEvents.MAX_CACHED + 10;

        for (int i = 0; i < pairs; i++) {
            events.fire(event("e" + i, "type" + i + ".happened", "type" + i));
        }
        events.fire(event("again", "type" + (pairs - 1) + ".happened", "type" + (pairs - 1)));

        assertThat(events.cached()).isEqualTo(QualifiedEvents.MAX_CACHED);
        assertThat(cdi.fired).hasSize(pairs + 1).last().asString().endsWith(" again");
        assertThat(cdi.selects).hasSize(pairs + 1); // the uncached pair is selected again
    }

    @Test
    void whetherAPairIsObservedIsResolvedOnceAndAnUnobservedEventGoesToItsHandler() {
        RecordingEvent cdi = new RecordingEvent();
        List<String> resolved = new ArrayList<>();
        List<String> unobserved = new ArrayList<>();
        QualifiedEvents events = new QualifiedEvents(cdi, (event, qualifiers) -> {
            resolved.add(event.eventType() + "/" + qualifiers.length);
            return !event.eventType().equals("order.creatd");
        }, event -> unobserved.add(event.eventId()));

        events.fire(event("e1", "order.created", "order"));
        events.fire(event("e2", "order.creatd", "order"));
        events.fire(event("e3", "order.creatd", "order"));

        assertThat(resolved).containsExactly("order.created/2", "order.creatd/2");
        assertThat(unobserved).containsExactly("e2", "e3");
        assertThat(cdi.fired).containsExactly("type=order.created resource=order e1");
    }
}
