package io.jetstreambridge.core.topology;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConsumerSettings;
import io.jetstreambridge.config.Durations;
import io.jetstreambridge.config.StreamSettings;
import io.jetstreambridge.core.connection.JetStreamErrors;
import io.jetstreambridge.core.log.BridgeLog;
import io.jetstreambridge.core.topology.ProvisioningReport.Action;
import io.jetstreambridge.core.topology.ProvisioningReport.ConsumerOutcome;
import io.jetstreambridge.topology.Peers;
import io.jetstreambridge.topology.Topology;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Creates or updates the stream and every peer's durable consumer so they match the configuration, idempotently: a
 * second run with the same configuration makes no change. The stream gets every peer's subjects; subjects of other
 * applications on a shared stream are kept, and nothing is ever deleted (a peer removed from the configuration
 * keeps its subjects and durable, which other applications may use and which keeps its position should it return).
 * Subjects that overlap another stream are reported with that stream's name before the server refuses them.
 * An existing consumer whose changeable settings (ack wait, backoff, max deliver, max ack pending) differ is
 * updated in place with {@code consumer.drift=update} (the default), so an application taking over a durable made
 * by the Ruby gem or an earlier version ends up with its configured settings; with {@code report} they are only
 * reported. Settings the server cannot change in place (ack policy, pull or push, delivery subject and group) are
 * always only reported: changing them means deleting the durable, an operator's decision. A durable that consumes
 * another subject than its peer's (the primary's {@code {app}-workers} after {@code destination-apps} was
 * reordered) fails provisioning: the bridge never re-points a durable.
 */
public final class StreamProvisioner {

    /**
     * Deliveries the server allows beyond {@code consumer.max-deliver}, where the client dead-letters. A delivery
     * the client never handles (lost at a stop, or counted by the server without being sent, which nats-server 2.9
     * does when a pull request expires as a redelivery is picked) still counts towards the server's
     * {@code max_deliver}; without spare deliveries a lost last delivery left the message in the work queue forever,
     * neither processed nor dead-lettered. Not -1: nats-server 2.9 refuses -1 together with a backoff list.
     */
    public static final int SPARE_DELIVERIES = 5;

    /** Updates of the subject list before giving up on applications that keep replacing it at the same time. */
    static final int SUBJECT_UPDATE_ATTEMPTS = 5;

    /** The least wait before looking whether a racing update took our subjects out (plus as much at random). */
    static final java.time.Duration CONCURRENT_UPDATE_PAUSE = java.time.Duration.ofMillis(150);

    private final JetStreamManagement jsm;
    private final Peers peers;
    private final String stream;
    private final StreamSettings streamSettings;
    private final ConsumerSettings consumerSettings;

    public StreamProvisioner(JetStreamManagement jsm, BridgeConfig config) {
        this.jsm = Objects.requireNonNull(jsm, "jsm");
        this.peers = config.peers();
        this.stream = peers.stream();
        this.streamSettings = config.stream();
        this.consumerSettings = config.consumer();
    }

    /**
     * Provisions the stream with every peer's subjects, then each peer's durable in the configured order.
     *
     * @throws TopologyException             when the stream cannot hold the subjects (overlap with another stream),
     *                                       a durable exists with another peer's subject (a reordered or shortened
     *                                       {@code destination-apps}), or the server refuses the stream or a
     *                                       consumer
     * @throws JetStreamUnavailableException when JetStream gives no answer or is temporarily unavailable
     */
    public ProvisioningReport provision() {
        Topology current = peers.primary();
        try {
            // every durable is checked before anything changes, so a refused order leaves the server as it was
            Map<String, ConsumerInfo> existing = consumerSettings.enabled() ? existingDurables() : Map.of();
            StreamOutcome streamOutcome = provisionStream();
            List<ConsumerOutcome> consumers = new ArrayList<>();
            for (Topology peer : peers.topologies()) {
                current = peer;
                consumers.add(consumerSettings.enabled() ? provisionConsumer(peer, existing.get(peer.durableName()))
                        : new ConsumerOutcome(peer.destinationApp(), peer.durableName(), peer.consumeSubject(),
                        Action.SKIPPED, List.of(), List.of()));
            }
            return new ProvisioningReport(stream, streamOutcome.action, streamOutcome.added, streamOutcome.drift,
                    consumers);
        } catch (JetStreamApiException e) {
            String message = "JetStream refused provisioning of stream '" + stream
                    + "' / consumer '" + current.durableName() + "': " + e.getMessage();
            throw isTemporary(e) ? new JetStreamUnavailableException(message, e) : new TopologyException(message, e);
        } catch (IOException e) {
            throw new JetStreamUnavailableException("no answer from JetStream while provisioning stream '"
                    + stream
                    + "': " + e.getMessage() + ". Is JetStream enabled on the server, and may this user call "
                    + "$JS.API subjects? A restricted user needs jetstream.bridge.auto-provision=false and an "
                    + "administrator who provisions the stream and consumers", e);
        }
    }

    /**
     * The peers' durables that exist, by name, each checked to consume its own peer's subject; none when the stream
     * does not exist yet.
     */
    private Map<String, ConsumerInfo> existingDurables() throws IOException, JetStreamApiException {
        Map<String, ConsumerInfo> existing = new HashMap<>();
        for (Topology peer : peers.topologies()) {
            ConsumerInfo info;
            try {
                info = consumerInfo(peer);
            } catch (JetStreamApiException e) {
                if (JetStreamErrors.is(e, JetStreamErrors.STREAM_NOT_FOUND)) {
                    return Map.of();
                }
                throw e;
            }
            if (info != null) {
                refuseAnotherPeersDurable(peer, info.getConsumerConfiguration().getFilterSubject());
                existing.put(peer.durableName(), info);
            }
        }
        return existing;
    }

    /** Creates one peer's durable, or handles the drift of the existing one (checked by {@link #existingDurables}). */
    private ConsumerOutcome provisionConsumer(Topology peer, ConsumerInfo existing)
            throws IOException, JetStreamApiException {
        ConsumerConfiguration wanted = desiredConsumer(peer);
        Action action;
        List<String> drift = List.of();
        List<String> updated = List.of();
        if (existing == null) {
            jsm.addOrUpdateConsumer(stream, wanted);
            action = Action.CREATED;
        } else {
            ConsumerDrift found = ConsumerDrift.between(wanted, existing.getConsumerConfiguration(),
                    consumerSettings.maxDeliver());
            action = Action.UNCHANGED;
            drift = found.all();
            if (!found.changeable().isEmpty() && consumerSettings.drift() == ConsumerSettings.Drift.UPDATE
                    && update(peer, found)) {
                action = Action.UPDATED;
                updated = found.changeable();
                drift = found.fixed();
            }
            if (!drift.isEmpty()) {
                BridgeLog.consumerDrift(stream, peer.durableName(), drift);
            }
        }
        BridgeLog.consumerProvisioned(stream, peer.durableName(), action.name().toLowerCase(Locale.ROOT));
        return new ConsumerOutcome(peer.destinationApp(), peer.durableName(), peer.consumeSubject(), action, drift,
                updated);
    }

    /**
     * An existing durable of this name that consumes another subject is never re-pointed: its position belongs to
     * that subject, so moving it would skip or mix messages. With the primary's {@code {app}-workers} this happens
     * when {@code destination-apps} was reordered or its first peer removed; the operator decides, not the bridge.
     */
    private void refuseAnotherPeersDurable(Topology peer, String filterSubject) {
        if (Objects.equals(filterSubject, peer.consumeSubject())) {
            return;
        }
        String suffix = ".sync." + peer.appName();
        String owner = filterSubject != null && filterSubject.endsWith(suffix)
                ? filterSubject.substring(0, filterSubject.length() - suffix.length()) : null;
        boolean primary = peer == peers.primary();
        String message = "durable consumer '" + peer.durableName() + "' on stream '" + stream + "' consumes '"
                + filterSubject + "'" + (owner == null ? "" : " (peer '" + owner + "')") + ", but it is the durable of "
                + (primary ? "the configured primary peer '" + peer.destinationApp()
                + "' (the first of jetstream.bridge.destination-apps)" : "peer '" + peer.destinationApp() + "'")
                + " and must consume '" + peer.consumeSubject() + "'. The bridge never re-points a durable: that "
                + "would skip or mix messages. "
                + (primary && owner != null ? "Keep '" + owner + "' first in destination-apps, or, to change the "
                + "primary peer deliberately, " : "Correct the configuration, or ")
                + "let the durable drain and delete it with `nats consumer rm " + stream + " " + peer.durableName()
                + "`" + (primary ? alsoTheNewPrimarysDurable(peer) : "")
                + ", then start again (docs/consuming.md#adding-and-removing-a-peer)";
        BridgeLog.durableOfAnotherSubject(stream, peer.durableName(), filterSubject, peer.consumeSubject());
        throw new TopologyException(message);
    }

    /**
     * A peer moved to the front had a durable of its own as a further peer, on the very subject the primary's durable
     * is to consume; a work-queue stream takes one consumer per subject, so that one goes too.
     */
    private String alsoTheNewPrimarysDurable(Topology primary) {
        String further = Peers.durableName(primary.appName(), primary.destinationApp(), false);
        return ", and also the durable '" + primary.destinationApp() + "' had as a further peer, if it exists, with "
                + "`nats consumer rm " + stream + " " + further + "` (a work-queue stream takes one consumer per "
                + "subject)";
    }

    /**
     * Sends the existing consumer back with only its changeable differences applied, so that a setting the server
     * cannot change in place never makes it refuse the rest. A refusal is logged and the differences stay reported:
     * the consumer still works, with the settings it had.
     */
    private boolean update(Topology peer, ConsumerDrift drift) throws IOException, JetStreamApiException {
        try {
            jsm.addOrUpdateConsumer(stream, drift.update());
            BridgeLog.consumerUpdated(stream, peer.durableName(), drift.changeable());
            return true;
        } catch (JetStreamApiException e) {
            if (isTemporary(e)) {
                throw e;
            }
            BridgeLog.consumerUpdateRefused(stream, peer.durableName(), drift.changeable(),
                    e.getMessage());
            return false;
        }
    }

    /** "JetStream system temporarily unavailable" (10008, a cluster without a meta leader yet) or 503. */
    private static boolean isTemporary(JetStreamApiException e) {
        return JetStreamErrors.isTemporarilyUnavailable(e);
    }

    /**
     * Whether a refused create means another application created the stream first. nats-server answers "name in
     * use" or, when its subject check runs before the name check (2.9), "subjects overlap" with that very stream;
     * an overlap with another stream was refused by {@link #checkOverlaps} before the create, so then ours exists.
     */
    private boolean createdByAnother(JetStreamApiException e) throws IOException, JetStreamApiException {
        return JetStreamErrors.is(e, JetStreamErrors.STREAM_NAME_IN_USE)
                || JetStreamErrors.is(e, JetStreamErrors.SUBJECTS_OVERLAP) && streamInfo() != null;
    }

    private StreamOutcome provisionStream() throws IOException, JetStreamApiException {
        StreamInfo info = streamInfo();
        if (info == null) {
            List<String> subjects = peers.streamSubjects();
            checkOverlaps(subjects);
            try {
                jsm.addStream(StreamConfiguration.builder()
                        .name(stream)
                        .subjects(subjects)
                        .retentionPolicy(RetentionPolicy.WorkQueue)
                        .storageType(storageType())
                        .replicas(streamSettings.replicas())
                        .duplicateWindow(streamSettings.duplicateWindow())
                        .build());
            } catch (JetStreamApiException e) {
                if (!createdByAnother(e)) {
                    throw e;
                }
                // another application created it between our look and our create: update it like any existing one
                return provisionStream();
            }
            BridgeLog.streamProvisioned(stream, "created", subjects);
            return new StreamOutcome(Action.CREATED, subjects, List.of());
        }
        StreamConfiguration current = info.getConfiguration();
        List<String> missing = peers.streamSubjects().stream()
                .filter(s -> current.getSubjects().stream().noneMatch(p -> SubjectPatterns.covers(p, s)))
                .toList();
        List<String> drift = new ArrayList<>();
        if (current.getStorageType() != storageType()) {
            drift.add("storage is " + current.getStorageType() + ", configured " + storageType());
        }
        if (current.getRetentionPolicy() != RetentionPolicy.WorkQueue) {
            drift.add("retention is " + current.getRetentionPolicy() + ", the contract expects WorkQueue");
        }
        if (!drift.isEmpty()) {
            BridgeLog.streamDrift(stream, drift);
        }
        boolean windowDiffers = !current.getDuplicateWindow().equals(streamSettings.duplicateWindow());
        boolean replicasDiffer = current.getReplicas() != streamSettings.replicas();
        if (missing.isEmpty() && !windowDiffers && !replicasDiffer) {
            return new StreamOutcome(Action.UNCHANGED, List.of(), drift);
        }
        checkOverlaps(missing);
        StreamConfiguration base = current;
        for (int attempt = 1; ; attempt++) {
            Set<String> subjects = new LinkedHashSet<>(base.getSubjects());
            subjects.addAll(peers.streamSubjects().stream()
                    .filter(s -> subjects.stream().noneMatch(p -> SubjectPatterns.covers(p, s))).toList());
            jsm.updateStream(StreamConfiguration.builder(base)
                    .subjects(subjects)
                    .replicas(streamSettings.replicas())
                    .duplicateWindow(streamSettings.duplicateWindow())
                    .build());
            BridgeLog.streamProvisioned(stream, "updated", subjects);
            StreamInfo after = afterConcurrentUpdates();
            List<String> lost = peers.streamSubjects().stream()
                    .filter(s -> after.getConfiguration().getSubjects().stream()
                            .noneMatch(p -> SubjectPatterns.covers(p, s)))
                    .toList();
            if (lost.isEmpty()) {
                return new StreamOutcome(Action.UPDATED, missing, drift);
            }
            if (attempt == SUBJECT_UPDATE_ATTEMPTS) {
                throw new JetStreamUnavailableException("stream '" + stream + "' lost the subjects " + lost
                        + " again after " + attempt + " updates: other applications keep replacing its subject "
                        + "list at the same time; start again once they have started", null);
            }
            base = after.getConfiguration();
        }
    }

    /**
     * The stream as it is once any update that raced ours has landed. A stream update replaces the whole subject
     * list, and JetStream has no compare-and-set for it, so an application that read the list before our update and
     * writes after it takes our subjects out again (seen with three applications starting at once). Such a writer
     * read before our update and writes one round trip later: the pause, a random part so that two applications do
     * not keep meeting, outlasts that, and a look after it shows whether our subjects survived.
     */
    private StreamInfo afterConcurrentUpdates() throws IOException, JetStreamApiException {
        try {
            Thread.sleep(CONCURRENT_UPDATE_PAUSE.toMillis()
                    + java.util.concurrent.ThreadLocalRandom.current().nextLong(CONCURRENT_UPDATE_PAUSE.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JetStreamUnavailableException("interrupted while provisioning stream '" + stream + "'", e);
        }
        return jsm.getStreamInfo(stream);
    }

    /** Names the other stream and subject that clash, which the server's own error does not. */
    private void checkOverlaps(List<String> subjects) throws IOException, JetStreamApiException {
        if (subjects.isEmpty()) {
            return;
        }
        List<String> clashes = new ArrayList<>();
        for (StreamInfo other : jsm.getStreams()) {
            String name = other.getConfiguration().getName();
            if (name.equals(stream)) {
                continue;
            }
            for (String theirs : other.getConfiguration().getSubjects()) {
                for (String ours : subjects) {
                    if (SubjectPatterns.overlap(theirs, ours)) {
                        clashes.add("subject '" + ours + "' overlaps '" + theirs + "' of stream '" + name + "'");
                    }
                }
            }
        }
        if (!clashes.isEmpty()) {
            throw new TopologyException("stream '" + stream + "' cannot take its subjects: "
                    + String.join("; ", clashes) + ". Remove the overlap, or set jetstream.bridge.stream-name to "
                    + "the stream that already holds these subjects");
        }
    }

    /** The durable the configuration asks for, for one peer. */
    ConsumerConfiguration desiredConsumer(Topology topology) {
        ConsumerConfiguration.Builder builder = ConsumerConfiguration.builder()
                .durable(topology.durableName())
                .filterSubject(topology.consumeSubject())
                .ackPolicy(AckPolicy.Explicit)
                .deliverPolicy(DeliverPolicy.All)
                .maxDeliver(serverMaxDeliver(consumerSettings.maxDeliver()))
                .ackWait(consumerSettings.ackWait());
        if (!consumerSettings.backoff().isEmpty()) {
            builder.backoff(consumerSettings.backoff().toArray(Duration[]::new));
        }
        if (consumerSettings.maxAckPending() > 0) {
            builder.maxAckPending(consumerSettings.maxAckPending());
        }
        if (consumerSettings.mode() == ConsumerSettings.Mode.PUSH) {
            builder.deliverSubject(topology.deliverSubject()).deliverGroup(topology.queueGroup());
        }
        return builder.build();
    }

    /** The durable's {@code max_deliver}: the client's dead-letter threshold plus {@link #SPARE_DELIVERIES}. */
    public static int serverMaxDeliver(int clientMaxDeliver) {
        return clientMaxDeliver + SPARE_DELIVERIES;
    }

    private StorageType storageType() {
        return streamSettings.storage() == StreamSettings.Storage.MEMORY ? StorageType.Memory : StorageType.File;
    }

    private StreamInfo streamInfo() throws IOException, JetStreamApiException {
        try {
            return jsm.getStreamInfo(stream);
        } catch (JetStreamApiException e) {
            if (JetStreamErrors.is(e, JetStreamErrors.STREAM_NOT_FOUND)) {
                return null;
            }
            throw e;
        }
    }

    private ConsumerInfo consumerInfo(Topology topology) throws IOException, JetStreamApiException {
        try {
            return jsm.getConsumerInfo(stream, topology.durableName());
        } catch (JetStreamApiException e) {
            if (JetStreamErrors.is(e, JetStreamErrors.CONSUMER_NOT_FOUND)) {
                return null;
            }
            throw e;
        }
    }

    private record StreamOutcome(Action action, List<String> added, List<String> drift) {
    }

    /**
     * Differences between the consumer the configuration asks for and the one on the server: those the server can
     * change in place, with the existing configuration carrying just those changes, and those it cannot.
     */
    static final class ConsumerDrift {
        private final List<String> all = new ArrayList<>();
        private final List<String> changeable = new ArrayList<>();
        private final List<String> fixed = new ArrayList<>();
        private final ConsumerConfiguration.Builder update;

        private ConsumerDrift(ConsumerConfiguration actual) {
            this.update = ConsumerConfiguration.builder(actual);
        }

        /**
         * A {@code max_deliver} above the client's dead-letter threshold (or -1) is fine whatever its value: the
         * client dead-letters at {@code clientMaxDeliver} and the server has deliveries to spare. One at or below it
         * (a durable created by an earlier version or by the Ruby gem) is drift, because the server gives up on a
         * message whose last delivery the client never handled.
         */
        static ConsumerDrift between(ConsumerConfiguration wanted, ConsumerConfiguration actual,
                                     int clientMaxDeliver) {
            ConsumerDrift drift = new ConsumerDrift(actual);
            drift.fixed("ack_policy", wanted.getAckPolicy(), actual.getAckPolicy());
            long serverMax = actual.getMaxDeliver();
            if (serverMax > 0 && serverMax <= clientMaxDeliver) {
                drift.changeable("max_deliver is " + serverMax + ", configured " + wanted.getMaxDeliver()
                        + " (consumer.max-deliver " + clientMaxDeliver + " plus " + SPARE_DELIVERIES
                        + " spare deliveries: at " + serverMax + " the server stops redelivering a message whose "
                        + "last delivery was lost, and it stays in the stream neither processed nor dead-lettered)");
                drift.update.maxDeliver(wanted.getMaxDeliver());
            }
            if (!text(wanted.getBackoff()).equals(text(actual.getBackoff()))) {
                drift.changeable("backoff is " + text(actual.getBackoff()) + ", configured "
                        + text(wanted.getBackoff()));
                // with a backoff list the server takes its first step as ack_wait, without one ack_wait counts
                drift.update.backoff(wanted.getBackoff().isEmpty() ? null
                        : wanted.getBackoff().toArray(Duration[]::new)).ackWait(wanted.getAckWait());
            } else if (wanted.getBackoff().isEmpty()
                    && !Durations.format(wanted.getAckWait()).equals(Durations.format(actual.getAckWait()))) {
                drift.changeable("ack_wait is " + Durations.format(actual.getAckWait()) + ", configured "
                        + Durations.format(wanted.getAckWait()));
                drift.update.ackWait(wanted.getAckWait());
            }
            if (wanted.maxAckPendingWasSet() && wanted.getMaxAckPending() != actual.getMaxAckPending()) {
                drift.changeable("max_ack_pending is " + actual.getMaxAckPending() + ", configured "
                        + wanted.getMaxAckPending());
                drift.update.maxAckPending(wanted.getMaxAckPending());
            }
            drift.fixed("deliver_subject", wanted.getDeliverSubject(), actual.getDeliverSubject());
            drift.fixed("deliver_group", wanted.getDeliverGroup(), actual.getDeliverGroup());
            return drift;
        }

        /** Every difference, in the order found. */
        List<String> all() {
            return List.copyOf(all);
        }

        /** Differences the server can change in place: ack wait, backoff, max deliver, max ack pending. */
        List<String> changeable() {
            return List.copyOf(changeable);
        }

        /** Differences only deleting and re-creating the durable would remove. */
        List<String> fixed() {
            return List.copyOf(fixed);
        }

        /** The server's consumer with the {@link #changeable()} differences set as configured. */
        ConsumerConfiguration update() {
            return update.build();
        }

        private static String text(List<Duration> durations) {
            return durations.stream().map(Durations::format).toList().toString();
        }

        private void changeable(String difference) {
            all.add(difference);
            changeable.add(difference);
        }

        private void fixed(String what, Object wanted, Object actual) {
            if (!Objects.equals(wanted, actual)) {
                String difference = what + " is " + actual + ", configured " + wanted;
                all.add(difference);
                fixed.add(difference);
            }
        }
    }
}
