package io.jetstreambridge.core.deadletter;

/** No DLQ entry at this sequence: never was one, purged, or replaced by the record of its replay. */
public class DeadLetterNotFoundException extends DeadLetterException {

    public DeadLetterNotFoundException(String stream, String dlqSubject, long sequence) {
        super("no dead letter at sequence " + sequence + " of stream '" + stream + "' on " + dlqSubject
                + " (purged, replayed, or not a dead letter)", stream, sequence, null);
    }
}
