package io.jetstreambridge.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.testing.NatsServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * F3: the publishing application killed with -9 while business transactions commit faster than its relay sends
 * them, so committed rows are left unsent (and some claimed under a lease by the dead relay); restarted, it goes
 * on with new business transactions, and its sweeper must send the orphans.
 */
class F3PublisherKillTest {

    @Test
    void commitsNotYetRelayedWhenThePublisherDiesAreSentAfterItsRestart() {
        long started = System.currentTimeMillis();
        FaultScale scale = FaultScale.current();
        NatsServer nats = NatsServer.builder().start();
        try (Pipeline run = Pipeline.builder("f3", nats.url()).start()) {
            run.startConsumer("consumer", Map.of());
            // no rate limit: four threads commit as fast as they can, ahead of the relay
            AppProcess publisher = run.startPublisher("publisher", "f3", scale.orders(), Map.of("fault.rate", "0"));
            await().atMost(Duration.ofMinutes(3))
                    .until(() -> run.committed() >= scale.orders() / 3 && frozenWithUnsentRows(run, publisher));

            publisher.kill();
            Instant fault = Instant.now();
            long committedAtKill = run.committed();
            long unsentAtKill = run.unsentOutboxRows();
            long lastRowAtKill = run.publisherDatabase().queryForLong(
                    "SELECT COALESCE(MAX(id), 0) FROM jetstream_bridge_outbox_events");
            long claimedAtKill = run.publisherDatabase().queryForLong("SELECT COUNT(*) FROM "
                    + "jetstream_bridge_outbox_events WHERE status <> 'sent' AND claimed_by IS NOT NULL");
            assertThat(unsentAtKill).as("committed rows the killed publisher had not relayed").isPositive();

            publisher.restart(Map.of("fault.prefix", "f3b", "fault.orders", String.valueOf(scale.orders() / 2)));
            await().atMost(Duration.ofMinutes(2)).until(() -> orphansLeft(run, lastRowAtKill) == 0);
            Duration recovery = Duration.between(fault, Instant.now());

            Pipeline.Tally tally = run.settle(scale.settle(), id -> false);
            FaultRow row = tally.row("F3", "publishing application killed (-9) with commits not yet relayed",
                    Recovery.format(recovery) + " (until every orphaned row was sent)",
                    "the publisher JVM was killed with SIGKILL after " + committedAtKill + " commits, "
                            + unsentAtKill + " of them not yet relayed (" + claimedAtKill + " claimed under the dead "
                            + "relay's lease); restarted, it committed " + scale.orders() / 2 + " more business "
                            + "transactions and its sweeper sent the orphans once the grace period and leases had "
                            + "passed; JetStream's duplicate window and the inbox absorb any row sent twice.");
            FaultAssertions.recordAndCheck(row, tally, run);
        } finally {
            nats.close();
            ReliabilityReport.duration("F3", System.currentTimeMillis() - started);
        }
    }

    /**
     * Freezes the publisher (SIGSTOP) and looks: with unsent rows it stays frozen until the kill, so its relay cannot
     * send them in between (it once did, and the scenario was not reached); without, it runs on until the next look.
     */
    private static boolean frozenWithUnsentRows(Pipeline run, AppProcess publisher) {
        publisher.freeze();
        if (run.unsentOutboxRows() > 0) {
            return true;
        }
        publisher.thaw();
        return false;
    }

    /** Rows created before the kill that are still not sent. */
    private static long orphansLeft(Pipeline run, long lastRowAtKill) {
        return run.publisherDatabase().queryForLong("SELECT COUNT(*) FROM jetstream_bridge_outbox_events "
                + "WHERE status <> 'sent' AND id <= ?", lastRowAtKill);
    }
}
