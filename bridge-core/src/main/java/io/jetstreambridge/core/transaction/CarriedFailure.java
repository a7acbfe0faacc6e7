package io.jetstreambridge.core.transaction;

/**
 * Carries a checked exception or an {@link Error} of a {@link Transactions.Work} through
 * {@link Transactions#inTransaction}, which rolls back only on a {@link RuntimeException}, to be rethrown unwrapped.
 */
final class CarriedFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    CarriedFailure(Throwable failure) {
        super(null, failure, false, false); // no stack trace: only the carried failure is ever seen
    }

    /** Throws the carried failure as it was thrown; never returns. */
    static <T> T rethrow(CarriedFailure carried) throws Exception {
        Throwable failure = carried.getCause();
        if (failure instanceof Error error) {
            throw error;
        }
        throw (Exception) failure;
    }
}
