package io.jetstreambridge.topology;

import io.jetstreambridge.publish.OutgoingEvent;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The applications this one exchanges events with, one {@link Topology} each, in the order configured
 * ({@code destination-apps}, or the one {@code destination-app}). The first is the primary peer: its durable keeps
 * the Ruby gem's name {@code {app}-workers}; each further peer's durable is {@code {app}-workers-{peer}}
 * ({@link #durableName}), because the gem has one peer and so no rule of its own for a second one.
 *
 * @param topologies one per peer, the primary first; at least one
 */
public record Peers(List<Topology> topologies) {

    public Peers {
        topologies = List.copyOf(topologies);
        if (topologies.isEmpty()) {
            throw new IllegalArgumentException("an application has at least one peer (destination-app)");
        }
        Set<String> names = new LinkedHashSet<>();
        Topology first = topologies.get(0);
        for (Topology topology : topologies) {
            if (!topology.stream().equals(first.stream()) || !topology.appName().equals(first.appName())) {
                throw new IllegalArgumentException("every peer of '" + first.appName() + "' is on its stream '"
                        + first.stream() + "', not " + topology);
            }
            if (!names.add(topology.destinationApp())) {
                throw new IllegalArgumentException("peer '" + topology.destinationApp() + "' is listed twice");
            }
        }
    }

    /** One peer, the gem's case. */
    public static Peers of(Topology topology) {
        return new Peers(List.of(topology));
    }

    /**
     * The peers' topologies by the naming rules, the first keeping the gem's durable.
     *
     * @param deliverSubject push mode: an explicit delivery subject (one peer only), or null for the default
     * @param queueGroup     push mode: an explicit queue group for every peer's durable, or null for its name
     */
    public static Peers of(String stream, String appName, List<String> destinations, boolean dlqEnabled,
                           String deliverSubject, String queueGroup) {
        if (deliverSubject != null && destinations.size() > 1) {
            throw new IllegalArgumentException("an explicit delivery subject serves one peer, not "
                    + destinations.size());
        }
        return new Peers(destinations.stream()
                .map(peer -> new Topology(stream, appName, peer, dlqEnabled, deliverSubject, queueGroup,
                        durableName(appName, peer, peer.equals(destinations.get(0)))))
                .toList());
    }

    /**
     * The durable consuming {@code {peer}.sync.{app}}: {@code {app}-workers} for the primary peer (the gem's name),
     * {@code {app}-workers-{peer}} for any other.
     */
    public static String durableName(String appName, String peer, boolean primary) {
        return primary ? Topology.gemDurableName(appName) : Topology.gemDurableName(appName) + "-" + peer;
    }

    /** The primary (first) peer's topology: the one-peer view of everything that has one stream and one DLQ. */
    public Topology primary() {
        return topologies.get(0);
    }

    /** The one stream every peer's subjects are on. */
    public String stream() {
        return primary().stream();
    }

    /** The peers' names, in the configured order. */
    public List<String> names() {
        return topologies.stream().map(Topology::destinationApp).toList();
    }

    public Optional<Topology> peer(String destination) {
        return topologies.stream().filter(t -> t.destinationApp().equals(destination)).findFirst();
    }

    /** Every peer's subjects this application needs on the stream, each once, the primary peer's first. */
    public List<String> streamSubjects() {
        Set<String> subjects = new LinkedHashSet<>();
        topologies.forEach(t -> subjects.addAll(t.streamSubjects()));
        return List.copyOf(subjects);
    }

    /**
     * Where an event goes: its own subject when it names one; else {@code {app}.sync.{destination}} for the peer it
     * names, or for the only peer when it names none.
     *
     * @throws IllegalArgumentException when it names a peer that is not configured, or names none while there are
     *                                  several
     */
    public String publishSubject(OutgoingEvent event) {
        Objects.requireNonNull(event, "event");
        if (event.subject() != null) {
            return event.subject();
        }
        if (event.destination() != null) {
            return peer(event.destination()).orElseThrow(() -> new IllegalArgumentException("destination '"
                    + event.destination() + "' is not one of this application's peers " + names()
                    + " (jetstream.bridge.destination-apps): its subject is not on the stream")).publishSubject();
        }
        if (topologies.size() > 1) {
            throw new IllegalArgumentException("event '" + event.eventType() + "' names no destination, and this "
                    + "application has several peers " + names() + ": name one with "
                    + "OutgoingEvent.Builder.destination(...), or send a copy to each with Publisher.fanOut(...)");
        }
        return primary().publishSubject();
    }
}
