package io.jetstreambridge.core.outbox;

import io.jetstreambridge.config.OutboxSettings;
import io.jetstreambridge.core.transaction.Transactions;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The start-up check of the optional indexes ({@link OptionalIndexes}): warns ({@code JSB5080}) for each index the
 * settings read and the outbox table lacks. One metadata look-up in a transaction of its own; skipped when no
 * transaction may be begun here, and only logged ({@code JSB5081}) when it fails, since a missing index only slows
 * the relay down. Which settings read which index is {@link OptionalIndexes#neededBy}; whether the table has it is
 * known only to the database, so this cannot be part of the configuration's validation.
 */
public final class OptionalIndexCheck {

    private OptionalIndexCheck() {
    }

    /**
     * @param mayBegin whether a transaction of its own may be begun now (not inside the caller's: JTA has no nested
     *                 ones); asked only when the settings read an optional index
     */
    public static void warnMissing(OutboxSettings settings, Transactions transactions, BooleanSupplier mayBegin) {
        List<OptionalIndexes> needed = OptionalIndexes.neededBy(settings);
        if (needed.isEmpty() || !mayBegin.getAsBoolean()) {
            return;
        }
        try {
            List<OptionalIndexes> missing = transactions.inTransaction(em -> OptionalIndexes.missing(em, needed));
            missing.forEach(index -> OutboxLog.optionalIndexMissing(index.setting(), index.script()));
        } catch (RuntimeException e) {
            OutboxLog.optionalIndexesUnchecked(e);
        }
    }
}
