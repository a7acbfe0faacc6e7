package io.jetstreambridge.core.retention;

import java.util.function.IntSupplier;

/**
 * Deletes in bounded batches, each in a transaction of its own, so clean-up never holds locks on a busy table
 * for long: runs the batch until one deletes fewer rows than the batch size.
 */
public final class BatchedDeletion {

    private BatchedDeletion() {
    }

    /**
     * @param batch deletes at most {@code batchSize} rows in its own transaction and returns how many
     * @return rows deleted in all
     */
    public static long run(IntSupplier batch, int batchSize) {
        long total = 0;
        int deleted;
        do {
            deleted = batch.getAsInt();
            total += deleted;
        } while (deleted >= batchSize);
        return total;
    }
}
