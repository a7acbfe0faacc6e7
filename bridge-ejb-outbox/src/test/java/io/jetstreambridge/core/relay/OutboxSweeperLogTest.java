package io.jetstreambridge.core.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.core.outbox.JpaOutboxStore;
import io.jetstreambridge.core.outbox.OutboxDialect;
import io.jetstreambridge.core.transaction.Transactions;
import io.nats.client.JetStream;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/** A failing sweeper round is logged with its code: the first of an outage as a warning, repeats quietly. */
class OutboxSweeperLogTest {

    @Test
    void aFailedRoundIsLoggedAsJsb5010OnceAWarningThenAtFine() {
        // the database is away: every round fails on its first transaction (nothing reaches NATS)
        Transactions databaseDown = new Transactions() {
            @Override
            public <T> T inTransaction(Function<EntityManager, T> work) {
                throw new IllegalStateException("database connection refused");
            }
        };
        JetStream unused = (JetStream) Proxy.newProxyInstance(JetStream.class.getClassLoader(),
                new Class<?>[] {JetStream.class}, (proxy, method, args) -> {
                    throw new AssertionError("no publish expected: " + method.getName());
                });
        BridgeConfig config = BridgeConfig.builder().appName("orders").destinationApp("billing").build();
        OutboxRelay relay = new OutboxRelay(new JpaOutboxStore(OutboxDialect.POSTGRESQL), databaseDown, unused,
                "stream", config.outbox(), Duration.ofSeconds(1), 16, Clock.systemUTC(), "relay-1",
                RelayListener.NONE);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (LogCapture log = new LogCapture();
             OutboxSweeper sweeper = new OutboxSweeper(relay, scheduler, Duration.ofHours(1), Clock.systemUTC())) {
            sweeper.round();
            sweeper.round();
            sweeper.round();

            assertThat(log.lines()).filteredOn(line -> line.contains("JSB5010")).hasSize(3)
                    .first().asString().startsWith("WARNING JSB5010");
            assertThat(log.lines()).filteredOn(line -> line.startsWith("FINE JSB5010")).hasSize(2);
            assertThat(sweeper.lastError()).get().asString().contains("database connection refused");
        } finally {
            scheduler.shutdownNow();
        }
    }
}
