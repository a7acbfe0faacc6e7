package io.jetstreambridge.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jetstreambridge.publish.OutgoingEvent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/** Where an event goes when an application has one peer or several. */
class PeersTest {

    private static final Peers ONE = Peers.of("s", "orders", List.of("billing"), true, null, null);
    private static final Peers TWO = Peers.of("s", "orders", List.of("billing", "shipping"), true, null, null);

    @Test
    void anEventWithoutDestinationGoesToTheOnlyPeer() {
        assertThat(ONE.publishSubject(OutgoingEvent.of("order.created", Map.of()))).isEqualTo("orders.sync.billing");
    }

    @Test
    void anEventNamingAPeerGoesToThatPeer() {
        OutgoingEvent event = OutgoingEvent.builder("order.created", Map.of()).destination("shipping").build();
        assertThat(TWO.publishSubject(event)).isEqualTo("orders.sync.shipping");
    }

    @Test
    void anEventsOwnSubjectWins() {
        OutgoingEvent event = OutgoingEvent.builder("order.created", Map.of()).subject("elsewhere.x").build();
        assertThat(TWO.publishSubject(event)).isEqualTo("elsewhere.x");
    }

    @Test
    void withSeveralPeersAnEventMustNameOne() {
        assertThatThrownBy(() -> TWO.publishSubject(OutgoingEvent.of("order.created", Map.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[billing, shipping]").hasMessageContaining("destination(")
                .hasMessageContaining("fanOut");
    }

    @Test
    void aPeerThatIsNotConfiguredIsRefused() {
        OutgoingEvent event = OutgoingEvent.builder("order.created", Map.of()).destination("crm").build();
        assertThatThrownBy(() -> ONE.publishSubject(event)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'crm'").hasMessageContaining("[billing]");
    }

    @Test
    void everyPeerIsOnTheOneStreamOfTheOneApplication() {
        assertThat(TWO.stream()).isEqualTo("s");
        assertThatThrownBy(() -> new Peers(List.of(Topology.of("s", "orders", "billing"),
                Topology.of("other", "orders", "shipping")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("its stream 's'");
    }

    @Test
    void aPeerIsListedOnce() {
        assertThatThrownBy(() -> Peers.of("s", "orders", List.of("billing", "billing"), true, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    }

    @Test
    void theDurableRuleKeepsTheGemsNameForThePrimaryPeer() {
        assertThat(Peers.durableName("orders", "billing", true)).isEqualTo("orders-workers");
        assertThat(Peers.durableName("orders", "shipping", false)).isEqualTo("orders-workers-shipping");
        assertThat(TWO.peer("shipping")).map(Topology::durableName).contains("orders-workers-shipping");
    }
}
