package io.jetstreambridge.sample;

/** Thrown by {@code POST /api/orders?fail=true} after publishing, to show that a rollback leaves no event. */
public class SimulatedFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SimulatedFailure(String message) {
        super(message);
    }
}
