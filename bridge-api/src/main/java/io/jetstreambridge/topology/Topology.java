package io.jetstreambridge.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The subjects and names one application uses on the shared stream, derived from its app name and destination by
 * the wire contract: it publishes on {@code {app}.sync.{destination}}, consumes {@code {destination}.sync.{app}}
 * with the durable {@code {app}-workers}, and dead-letters to {@code {app}.sync.dlq}.
 *
 * @param stream          the stream that holds all of them
 * @param appName         this application's name
 * @param destinationApp  the application it talks to
 * @param dlqEnabled      whether the dead-letter subject belongs to the stream
 * @param deliverSubject  push mode only: the delivery subject
 * @param queueGroup      push mode only: the queue group
 */
public record Topology(String stream, String appName, String destinationApp, boolean dlqEnabled,
                       String deliverSubject, String queueGroup) {

    public Topology {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(appName, "appName");
        Objects.requireNonNull(destinationApp, "destinationApp");
        if (deliverSubject == null || deliverSubject.isEmpty()) {
            deliverSubject = destinationApp + ".sync." + appName + ".worker";
        }
        if (queueGroup == null || queueGroup.isEmpty()) {
            queueGroup = appName + "-workers";
        }
    }

    public static Topology of(String stream, String appName, String destinationApp) {
        return new Topology(stream, appName, destinationApp, true, null, null);
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

    public String durableName() {
        return appName + "-workers";
    }

    /** The subjects this application needs on the stream, in the order the contract lists them. */
    public List<String> streamSubjects() {
        List<String> subjects = new ArrayList<>(List.of(publishSubject(), consumeSubject()));
        if (dlqEnabled) {
            subjects.add(dlqSubject());
        }
        return List.copyOf(subjects);
    }
}
