package io.jetstreambridge.core.telemetry;

/** Who publishes: the value of the {@code publisher} attribute. */
public enum PublishKind {

    /** The direct publisher: straight to JetStream. */
    DIRECT("direct"),
    /** The outbox publisher: a row in the caller's transaction. */
    OUTBOX("outbox"),
    /** The relay: an outbox row to JetStream. */
    RELAY("relay");

    private final String attribute;

    PublishKind(String attribute) {
        this.attribute = attribute;
    }

    public String attribute() {
        return attribute;
    }
}
