package io.jetstreambridge.publish;

import java.util.Optional;

/**
 * What happened to one published event.
 *
 * @param eventId  the event id, also sent as {@code Nats-Msg-Id}
 * @param subject  the subject it was (or will be) published on
 * @param outcome  see {@link Outcome}
 * @param stream   the stream that stored it; {@code null} unless published or duplicate
 * @param sequence the stream sequence; for a duplicate, the sequence of the copy already stored; 0 when unknown
 * @param failure  why it failed, only for {@link Outcome#FAILED}
 */
public record PublishResult(String eventId, String subject, Outcome outcome, String stream, long sequence,
                            PublishException failure) {

    public enum Outcome {
        /** JetStream stored the event. */
        PUBLISHED,
        /** JetStream already had an event with this id inside its duplicate window and dropped this copy. */
        DUPLICATE,
        /** Written to the transactional outbox; it is published after the transaction commits. */
        PENDING,
        /** Not published; only batch publishing reports this instead of throwing. */
        FAILED
    }

    public static PublishResult published(String eventId, String subject, String stream, long sequence,
                                          boolean duplicate) {
        return new PublishResult(eventId, subject, duplicate ? Outcome.DUPLICATE : Outcome.PUBLISHED, stream,
                sequence, null);
    }

    public static PublishResult failed(String eventId, String subject, PublishException failure) {
        return new PublishResult(eventId, subject, Outcome.FAILED, null, 0, failure);
    }

    /** Whether the broker dropped this copy as a duplicate of an event already stored. */
    public boolean duplicate() {
        return outcome == Outcome.DUPLICATE;
    }

    /** Whether the event is safely stored: published, duplicate of a stored one, or pending in the outbox. */
    public boolean accepted() {
        return outcome != Outcome.FAILED;
    }

    public Optional<PublishException> failureCause() {
        return Optional.ofNullable(failure);
    }
}
