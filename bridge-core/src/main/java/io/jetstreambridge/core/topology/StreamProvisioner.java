package io.jetstreambridge.core.topology;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConsumerSettings;
import io.jetstreambridge.config.Durations;
import io.jetstreambridge.config.StreamSettings;
import io.jetstreambridge.core.log.BridgeLog;
import io.jetstreambridge.core.topology.ProvisioningReport.Action;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Creates or updates the stream and the durable consumer so they match the configuration, idempotently: a second
 * run with the same configuration makes no change. Subjects of other applications on a shared stream are kept.
 * Subjects that overlap another stream are reported with that stream's name before the server refuses them.
 * An existing consumer whose changeable settings (ack wait, backoff, max deliver, max ack pending) differ is
 * updated in place with {@code consumer.drift=update} (the default), so an application taking over a durable made
 * by the Ruby gem or an earlier version ends up with its configured settings; with {@code report} they are only
 * reported. Settings the server cannot change in place (filter subject, ack policy, pull or push, delivery
 * subject and group) are always only reported: changing them means deleting the durable, an operator's decision.
 */
public final class StreamProvisioner {

    static final int STREAM_NOT_FOUND = 10059;
    static final int CONSUMER_NOT_FOUND = 10014;
    static final int STREAM_NAME_IN_USE = 10058;
    static final int SUBJECTS_OVERLAP = 10065;
    static final int JETSTREAM_TEMPORARILY_UNAVAILABLE = 10008;
    /**
     * Deliveries the server allows beyond {@code consumer.max-deliver}, where the client dead-letters. A delivery
     * the client never handles (lost at a stop, or counted by the server without being sent, which nats-server 2.9
     * does when a pull request expires as a redelivery is picked) still counts towards the server's
     * {@code max_deliver}; without spare deliveries a lost last delivery left the message in the work queue forever,
     * neither processed nor dead-lettered. Not -1: nats-server 2.9 refuses -1 together with a backoff list.
     */
    public static final int SPARE_DELIVERIES = 5;

    private final JetStreamManagement jsm;
    private final Topology topology;
    private final StreamSettings streamSettings;
    private final ConsumerSettings consumerSettings;

    public StreamProvisioner(JetStreamManagement jsm, BridgeConfig config) {
        this.jsm = Objects.requireNonNull(jsm, "jsm");
        this.topology = config.topology();
        this.streamSettings = config.stream();
        this.consumerSettings = config.consumer();
    }

    /**
     * @throws TopologyException             when the stream cannot hold the subjects (overlap with another stream)
     *                                       or the server refuses the stream or consumer
     * @throws JetStreamUnavailableException when JetStream gives no answer or is temporarily unavailable
     */
    public ProvisioningReport provision() {
        try {
            StreamOutcome stream = provisionStream();
            Action consumerAction = Action.SKIPPED;
            List<String> consumerDrift = List.of();
            List<String> consumerUpdated = List.of();
            if (consumerSettings.enabled()) {
                ConsumerInfo existing = consumerInfo();
                if (existing == null) {
                    jsm.addOrUpdateConsumer(topology.stream(), desiredConsumer());
                    consumerAction = Action.CREATED;
                } else {
                    ConsumerDrift drift = ConsumerDrift.between(desiredConsumer(),
                            existing.getConsumerConfiguration(), consumerSettings.maxDeliver());
                    consumerAction = Action.UNCHANGED;
                    consumerDrift = drift.all();
                    if (!drift.changeable().isEmpty() && consumerSettings.drift() == ConsumerSettings.Drift.UPDATE
                            && update(drift)) {
                        consumerAction = Action.UPDATED;
                        consumerUpdated = drift.changeable();
                        consumerDrift = drift.fixed();
                    }
                    if (!consumerDrift.isEmpty()) {
                        BridgeLog.consumerDrift(topology.stream(), topology.durableName(), consumerDrift);
                    }
                }
                BridgeLog.consumerProvisioned(topology.stream(), topology.durableName(),
                        consumerAction.name().toLowerCase());
            }
            return new ProvisioningReport(topology.stream(), stream.action, stream.added, stream.drift,
                    consumerAction, consumerDrift, consumerUpdated);
        } catch (JetStreamApiException e) {
            String message = "JetStream refused provisioning of stream '" + topology.stream()
                    + "' / consumer '" + topology.durableName() + "': " + e.getMessage();
            throw isTemporary(e) ? new JetStreamUnavailableException(message, e) : new TopologyException(message, e);
        } catch (IOException e) {
            throw new JetStreamUnavailableException("no answer from JetStream while provisioning stream '"
                    + topology.stream()
                    + "': " + e.getMessage() + ". Is JetStream enabled on the server, and may this user call "
                    + "$JS.API subjects? A restricted user needs jetstream.bridge.auto-provision=false and an "
                    + "administrator who provisions the stream and consumer", e);
        }
    }

    /**
     * Sends the existing consumer back with only its changeable differences applied, so that a setting the server
     * cannot change in place never makes it refuse the rest. A refusal is logged and the differences stay reported:
     * the consumer still works, with the settings it had.
     */
    private boolean update(ConsumerDrift drift) throws IOException, JetStreamApiException {
        try {
            jsm.addOrUpdateConsumer(topology.stream(), drift.update());
            BridgeLog.consumerUpdated(topology.stream(), topology.durableName(), drift.changeable());
            return true;
        } catch (JetStreamApiException e) {
            if (isTemporary(e)) {
                throw e;
            }
            BridgeLog.consumerUpdateRefused(topology.stream(), topology.durableName(), drift.changeable(),
                    e.getMessage());
            return false;
        }
    }

    /** "JetStream system temporarily unavailable" (10008, a cluster without a meta leader yet) or 503. */
    private static boolean isTemporary(JetStreamApiException e) {
        return e.getApiErrorCode() == JETSTREAM_TEMPORARILY_UNAVAILABLE || e.getErrorCode() == 503;
    }

    /**
     * Whether a refused create means another application created the stream first. nats-server answers "name in
     * use" or, when its subject check runs before the name check (2.9), "subjects overlap" with that very stream;
     * an overlap with another stream was refused by {@link #checkOverlaps} before the create, so then ours exists.
     */
    private boolean createdByAnother(JetStreamApiException e) throws IOException, JetStreamApiException {
        return e.getApiErrorCode() == STREAM_NAME_IN_USE
                || e.getApiErrorCode() == SUBJECTS_OVERLAP && streamInfo() != null;
    }

    private StreamOutcome provisionStream() throws IOException, JetStreamApiException {
        StreamInfo info = streamInfo();
        if (info == null) {
            List<String> subjects = topology.streamSubjects();
            checkOverlaps(subjects);
            try {
                jsm.addStream(StreamConfiguration.builder()
                        .name(topology.stream())
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
            BridgeLog.streamProvisioned(topology.stream(), "created", subjects);
            return new StreamOutcome(Action.CREATED, subjects, List.of());
        }
        StreamConfiguration current = info.getConfiguration();
        List<String> missing = topology.streamSubjects().stream()
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
            BridgeLog.streamDrift(topology.stream(), drift);
        }
        boolean windowDiffers = !current.getDuplicateWindow().equals(streamSettings.duplicateWindow());
        boolean replicasDiffer = current.getReplicas() != streamSettings.replicas();
        if (missing.isEmpty() && !windowDiffers && !replicasDiffer) {
            return new StreamOutcome(Action.UNCHANGED, List.of(), drift);
        }
        checkOverlaps(missing);
        Set<String> subjects = new LinkedHashSet<>(current.getSubjects());
        subjects.addAll(missing);
        jsm.updateStream(StreamConfiguration.builder(current)
                .subjects(subjects)
                .replicas(streamSettings.replicas())
                .duplicateWindow(streamSettings.duplicateWindow())
                .build());
        BridgeLog.streamProvisioned(topology.stream(), "updated", subjects);
        return new StreamOutcome(Action.UPDATED, missing, drift);
    }

    /** Names the other stream and subject that clash, which the server's own error does not. */
    private void checkOverlaps(List<String> subjects) throws IOException, JetStreamApiException {
        if (subjects.isEmpty()) {
            return;
        }
        List<String> clashes = new ArrayList<>();
        for (StreamInfo other : jsm.getStreams()) {
            String name = other.getConfiguration().getName();
            if (name.equals(topology.stream())) {
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
            throw new TopologyException("stream '" + topology.stream() + "' cannot take its subjects: "
                    + String.join("; ", clashes) + ". Remove the overlap, or set jetstream.bridge.stream-name to "
                    + "the stream that already holds these subjects");
        }
    }

    ConsumerConfiguration desiredConsumer() {
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
            return jsm.getStreamInfo(topology.stream());
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    private ConsumerInfo consumerInfo() throws IOException, JetStreamApiException {
        try {
            return jsm.getConsumerInfo(topology.stream(), topology.durableName());
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == CONSUMER_NOT_FOUND) {
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
            drift.fixed("filter_subject", wanted.getFilterSubject(), actual.getFilterSubject());
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
