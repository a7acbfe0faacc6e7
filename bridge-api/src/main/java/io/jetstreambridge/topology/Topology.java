package io.jetstreambridge.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The subjects and names one application uses on the shared stream for one peer, derived from its app name and
 * that destination by the wire contract: it publishes on {@code {app}.sync.{destination}}, consumes
 * {@code {destination}.sync.{app}} with its durable, and dead-letters to {@code {app}.sync.dlq}. An application
 * with several peers has one of these per peer ({@link Peers}).
 *
 * @param stream          the stream that holds all of them
 * @param appName         this application's name
 * @param destinationApp  the peer it talks to here
 * @param dlqEnabled      whether the dead-letter subject belongs to the stream
 * @param deliverSubject  push mode only: the delivery subject; default {@code {destination}.sync.{app}.worker}
 * @param queueGroup      push mode only: the queue group; default the durable name
 * @param durableName     the durable consumer on the consume subject; default the gem's {@code {app}-workers}
 */
public record Topology(String stream, String appName, String destinationApp, boolean dlqEnabled,
                       String deliverSubject, String queueGroup, String durableName) {

    public Topology {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(appName, "appName");
        Objects.requireNonNull(destinationApp, "destinationApp");
        if (durableName == null || durableName.isEmpty()) {
            durableName = gemDurableName(appName);
        }
        if (deliverSubject == null || deliverSubject.isEmpty()) {
            deliverSubject = destinationApp + ".sync." + appName + ".worker";
        }
        if (queueGroup == null || queueGroup.isEmpty()) {
            queueGroup = durableName;
        }
    }

    /** The one-peer form, with the gem's durable name {@code {app}-workers}. */
    public Topology(String stream, String appName, String destinationApp, boolean dlqEnabled,
                    String deliverSubject, String queueGroup) {
        this(stream, appName, destinationApp, dlqEnabled, deliverSubject, queueGroup, null);
    }

    public static Topology of(String stream, String appName, String destinationApp) {
        return new Topology(stream, appName, destinationApp, true, null, null, null);
    }

    /** The durable the Ruby gem derives for an application, {@code {app}-workers}: the first peer's. */
    public static String gemDurableName(String appName) {
        return appName + "-workers";
    }

    public String publishSubject() {
        return appName + ".sync." + destinationApp;
    }

    public String consumeSubject() {
        return destinationApp + ".sync." + appName;
    }

    public String dlqSubject() {
        return appName + ".sync.dlq";
    }

    /** The subjects this application needs on the stream for this peer, in the order the contract lists them. */
    public List<String> streamSubjects() {
        List<String> subjects = new ArrayList<>(List.of(publishSubject(), consumeSubject()));
        if (dlqEnabled) {
            subjects.add(dlqSubject());
        }
        return List.copyOf(subjects);
    }
}
