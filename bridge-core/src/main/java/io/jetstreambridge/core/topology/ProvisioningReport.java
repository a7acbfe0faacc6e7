package io.jetstreambridge.core.topology;

import java.util.List;

/**
 * What one provisioning run found and did; kept for the health check's details.
 *
 * @param stream          the stream name
 * @param streamAction    what happened to the stream
 * @param addedSubjects   subjects added to an existing stream (empty unless updated)
 * @param streamDrift     stream settings that differ and cannot be changed in place (storage, retention)
 * @param consumerAction  what happened to the durable consumer
 * @param consumerDrift   consumer settings that differ from the configuration (left as they are)
 * @param consumerUpdated consumer settings that differed and were changed in place ({@code consumer.drift=update})
 */
public record ProvisioningReport(String stream, Action streamAction, List<String> addedSubjects,
                                 List<String> streamDrift, Action consumerAction, List<String> consumerDrift,
                                 List<String> consumerUpdated) {

    public enum Action { CREATED, UPDATED, UNCHANGED, SKIPPED }

    public ProvisioningReport {
        addedSubjects = List.copyOf(addedSubjects);
        streamDrift = List.copyOf(streamDrift);
        consumerDrift = List.copyOf(consumerDrift);
        consumerUpdated = List.copyOf(consumerUpdated);
    }

    /** Whether this run created or changed anything on the server. */
    public boolean changedAnything() {
        return streamAction == Action.CREATED || streamAction == Action.UPDATED
                || consumerAction == Action.CREATED || consumerAction == Action.UPDATED;
    }

    /** Whether the server's stream or consumer differ from the configuration. */
    public boolean drifted() {
        return !streamDrift.isEmpty() || !consumerDrift.isEmpty();
    }
}
