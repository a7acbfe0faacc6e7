package io.jetstreambridge.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** What {@link Publisher#fanOut} hands to {@code publishAll}: one copy per destination, each with its own id. */
class FanOutTest {

    /** Keeps what it is given; publishing itself is tested with the engines. */
    private static final class Recording implements Publisher {
        final List<OutgoingEvent> published = new ArrayList<>();

        @Override
        public PublishResult publish(OutgoingEvent event) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<PublishResult> publishAsync(OutgoingEvent event) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<PublishResult> publishAll(List<OutgoingEvent> events) {
            published.addAll(events);
            return List.of();
        }
    }

    @Test
    void eachCopyNamesItsPeerAndHasItsOwnIdAndTheyShareTheTraceId() {
        Recording publisher = new Recording();
        publisher.fanOut(OutgoingEvent.of("order.created", Map.of("id", 1)), "billing", "shipping");

        assertThat(publisher.published).extracting(OutgoingEvent::destination).containsExactly("billing", "shipping");
        assertThat(publisher.published).extracting(OutgoingEvent::eventId).doesNotContainNull()
                .doesNotHaveDuplicates();
        assertThat(publisher.published).extracting(OutgoingEvent::traceId).doesNotContainNull()
                .containsOnly(publisher.published.get(0).traceId());
        assertThat(publisher.published).extracting(OutgoingEvent::eventType).containsOnly("order.created");
    }

    @Test
    void aCallersIdBecomesOnePerPeerTheSameOnEveryRetry() {
        Recording publisher = new Recording();
        OutgoingEvent event = OutgoingEvent.builder("order.created", Map.of()).eventId("order-7").traceId("t1").build();
        publisher.fanOut(event, "billing", "shipping");
        publisher.fanOut(event, "billing", "shipping");

        assertThat(publisher.published).extracting(OutgoingEvent::eventId)
                .containsExactly("order-7:billing", "order-7:shipping", "order-7:billing", "order-7:shipping");
        assertThat(publisher.published).extracting(OutgoingEvent::traceId).containsOnly("t1");
    }

    @Test
    void refusesWhatItCannotRoute() {
        Recording publisher = new Recording();
        OutgoingEvent event = OutgoingEvent.of("order.created", Map.of());
        assertThatThrownBy(() -> publisher.fanOut(event)).hasMessageContaining("at least one destination");
        assertThatThrownBy(() -> publisher.fanOut(event, "billing", "billing")).hasMessageContaining("twice");
        assertThatThrownBy(() -> publisher.fanOut(OutgoingEvent.builder("a", Map.of()).destination("billing").build(),
                "shipping")).hasMessageContaining("destination 'billing' already");
        assertThatThrownBy(() -> publisher.fanOut(event, "dlq")).hasMessageContaining("reserved");
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void anEventNamesASubjectOrADestinationNotBoth() {
        assertThatThrownBy(() -> OutgoingEvent.builder("a", Map.of()).subject("x.y").destination("billing").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both");
    }
}
