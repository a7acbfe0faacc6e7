package io.jetstreambridge.core.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.config.OutboxSettings;
import io.jetstreambridge.core.transaction.Transactions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * When the start-up check of the optional indexes asks the database, without one: never for settings that read no
 * optional index, never inside the caller's transaction, and a failed look-up is only logged (JSB5081), never stops
 * the start. What it finds in a real table is {@link OptionalIndexesTest}'s.
 */
class OptionalIndexCheckTest {

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Logger logger = Logger.getLogger("io.jetstreambridge");
    private Level levelBefore;
    private final AtomicInteger transactionsBegun = new AtomicInteger();
    private final AtomicInteger mayBeginAsked = new AtomicInteger();
    private final Transactions failing = new Transactions() {
        @Override
        public <T> T inTransaction(java.util.function.Function<jakarta.persistence.EntityManager, T> work) {
            transactionsBegun.incrementAndGet();
            throw new IllegalStateException("the JPA provider lends no JDBC connection");
        }
    };

    @BeforeEach
    void captureLog() {
        levelBefore = logger.getLevel();
        logger.setLevel(Level.ALL);
        logger.addHandler(capture);
    }

    @AfterEach
    void restore() {
        logger.removeHandler(capture);
        logger.setLevel(levelBefore);
    }

    private static OutboxSettings outbox(String ordering, String sentRows) {
        return BridgeConfig.builder().appName("orders").destinationApp("billing")
                .set(ConfigKey.OUTBOX_ORDERING, ordering).set(ConfigKey.OUTBOX_SENT_ROWS, sentRows).build().outbox();
    }

    @Test
    void settingsThatReadNoOptionalIndexAskNothing() {
        OptionalIndexCheck.warnMissing(outbox("none", "delete"), failing, () -> {
            mayBeginAsked.incrementAndGet();
            return true;
        });
        assertThat(mayBeginAsked).hasValue(0);
        assertThat(transactionsBegun).hasValue(0);
        assertThat(records).isEmpty();
    }

    @Test
    void insideTheCallersTransactionNothingIsBegun() {
        OptionalIndexCheck.warnMissing(outbox("resource", "delete"), failing, () -> false);
        assertThat(transactionsBegun).hasValue(0);
        assertThat(records).isEmpty();
    }

    @Test
    void aFailedLookUpIsLoggedAndTheStartGoesOn() {
        OptionalIndexCheck.warnMissing(outbox("none", "keep"), failing, () -> true);
        assertThat(transactionsBegun).hasValue(1);
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.getLevel()).isEqualTo(Level.FINE);
            assertThat(r.getMessage()).startsWith("JSB5081").contains("lends no JDBC connection");
        });
    }
}
