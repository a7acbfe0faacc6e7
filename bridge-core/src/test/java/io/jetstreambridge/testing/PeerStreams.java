package io.jetstreambridge.testing;

import io.jetstreambridge.topology.Peers;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;

import java.time.Duration;

/**
 * The stream as an application with several peers needs it (every peer's subjects), made by the test itself: the
 * publishing tests do not depend on how start-up provisioning learns about further peers.
 */
public final class PeerStreams {

    private PeerStreams() {
    }

    /** Creates the peers' stream: work queue, file storage, a 2-minute duplicate window (the contract's default). */
    public static void create(JetStreamManagement jsm, Peers peers) throws Exception {
        jsm.addStream(StreamConfiguration.builder().name(peers.primary().stream()).subjects(peers.streamSubjects())
                .retentionPolicy(RetentionPolicy.WorkQueue).storageType(StorageType.File)
                .duplicateWindow(Duration.ofMinutes(2)).build());
    }
}
