package io.jetstreambridge.core.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Several applications starting at once, each adding its subjects to the one shared stream: a stream update
 * replaces the whole subject list, so an application that read the list before another's update and wrote after it
 * took that application's subjects out again (the sample's three deployments on WildFly lost {@code billing.sync.dlq}
 * this way, and billing stayed not ready). Every application's subjects must be on the stream once all have
 * provisioned.
 */
class ConcurrentProvisioningTest {

    private static final String STREAM = "jetstream-bridge-stream";
    private static final int APPS = 8;
    private static final int ROUNDS = 5;

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    @Test
    void applicationsProvisioningAtOnceKeepEachOthersSubjects() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(APPS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                NATS.cleanJetStream();
                // the stream exists, as when the first application of a fleet has started: the others update it
                new StreamProvisioner(NATS.connect().jetStreamManagement(), config("app0", "hub")).provision();
                List<BridgeConfig> apps = new ArrayList<>();
                for (int i = 1; i <= APPS; i++) {
                    apps.add(config("app" + i, "hub"));
                }
                CountDownLatch start = new CountDownLatch(1);
                List<CompletableFuture<ProvisioningReport>> runs = new ArrayList<>();
                for (BridgeConfig app : apps) {
                    Connection own = NATS.connect();
                    JetStreamManagement jsm = own.jetStreamManagement();
                    runs.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            start.await();
                            return new StreamProvisioner(jsm, app).provision();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException(e);
                        }
                    }, pool));
                }
                start.countDown();
                CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

                List<String> present = NATS.connect().jetStreamManagement().getStreamInfo(STREAM)
                        .getConfiguration().getSubjects();
                List<String> expected = new ArrayList<>();
                for (BridgeConfig app : apps) {
                    expected.addAll(app.peers().streamSubjects());
                }
                assertThat(present).as("stream subjects after round %d", round).containsAll(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static BridgeConfig config(String app, String peer) {
        return BridgeConfig.builder().appName(app).destinationApp(peer).natsUrls(NATS.url())
                .set("jetstream.bridge.consumer.enabled", "false").build();
    }
}
