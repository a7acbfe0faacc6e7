package io.jetstreambridge.core.deadletter;

/** The DLQ entry records a replay already; replaying it again would deliver the event a second time. */
public class DeadLetterAlreadyReplayedException extends DeadLetterException {

    private final transient ReplayRecord replay;

    public DeadLetterAlreadyReplayedException(String stream, long sequence, ReplayRecord replay) {
        super("dead letter at sequence " + sequence + " of stream '" + stream + "' was replayed at "
                + replay.replayedAt() + " as " + replay.messageId() + " (stream sequence " + replay.replaySequence()
                + "); it is kept as a record until purged", stream, sequence, null);
        this.replay = replay;
    }

    public ReplayRecord replay() {
        return replay;
    }
}
