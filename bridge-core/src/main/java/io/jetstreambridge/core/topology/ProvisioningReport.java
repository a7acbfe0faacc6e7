package io.jetstreambridge.core.topology;

import java.util.List;
import java.util.stream.Stream;

/**
 * What one provisioning run found and did; kept for the health check's details.
 *
 * @param stream        the stream name
 * @param streamAction  what happened to the stream
 * @param addedSubjects subjects added to an existing stream (empty unless updated)
 * @param streamDrift   stream settings that differ and cannot be changed in place (storage, retention)
 * @param consumers     one per peer, in the configured order (the primary peer's durable first)
 */
public record ProvisioningReport(String stream, Action streamAction, List<String> addedSubjects,
                                 List<String> streamDrift, List<ConsumerOutcome> consumers) {

    public enum Action { CREATED, UPDATED, UNCHANGED, SKIPPED }

    public ProvisioningReport {
        addedSubjects = List.copyOf(addedSubjects);
        streamDrift = List.copyOf(streamDrift);
        consumers = List.copyOf(consumers);
        if (consumers.isEmpty()) {
            throw new IllegalArgumentException("a provisioning report has one consumer outcome per peer, at least one");
        }
    }

    /**
     * What happened to one peer's durable.
     *
     * @param peer          the peer whose messages it consumes
     * @param durable       the durable's name ({@code {app}-workers}, or {@code {app}-workers-{peer}})
     * @param filterSubject the subject it consumes, {@code {peer}.sync.{app}}
     * @param action        what happened to it ({@link Action#SKIPPED} with {@code consumer.enabled=false})
     * @param drift         settings that differ from the configuration (left as they are)
     * @param updated       settings that differed and were changed in place ({@code consumer.drift=update})
     */
    public record ConsumerOutcome(String peer, String durable, String filterSubject, Action action,
                                  List<String> drift, List<String> updated) {

        public ConsumerOutcome {
            drift = List.copyOf(drift);
            updated = List.copyOf(updated);
        }
    }

    /** The primary peer's durable ({@code {app}-workers}), the one an application with one peer has. */
    public ConsumerOutcome primaryConsumer() {
        return consumers.get(0);
    }

    /** Whether this run created or changed anything on the server. */
    public boolean changedAnything() {
        return streamAction == Action.CREATED || streamAction == Action.UPDATED
                || consumers.stream().anyMatch(c -> c.action() == Action.CREATED || c.action() == Action.UPDATED);
    }

    /** Whether the server's stream or any peer's durable differ from the configuration. */
    public boolean drifted() {
        return !streamDrift.isEmpty() || consumers.stream().anyMatch(c -> !c.drift().isEmpty());
    }

    /** Every difference, the stream's then each durable's, each durable's named: for health details. */
    public List<String> allDrift() {
        return Stream.concat(streamDrift.stream(), consumers.stream()
                        .flatMap(c -> c.drift().stream().map(d -> "consumer '" + c.durable() + "': " + d)))
                .toList();
    }
}
