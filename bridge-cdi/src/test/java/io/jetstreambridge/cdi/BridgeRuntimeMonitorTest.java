package io.jetstreambridge.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Every outbox publish reads the connection ({@code serverMaxPayload} through {@link BridgeRuntime#currentConnection})
 * while the runtime may be in a network call of seconds: those calls must not hold the runtime's monitor.
 */
class BridgeRuntimeMonitorTest {

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private static final Duration PROMPTLY = Duration.ofSeconds(2);

    private static Map<String, String> orders() {
        return Map.of("jetstream.bridge.app-name", "orders",
                "jetstream.bridge.destination-app", "billing",
                "jetstream.bridge.nats.urls", NATS.url(),
                "jetstream.bridge.consumer.enabled", "false");
    }

    @Test
    void theConnectionIsReadPromptlyWhileTheShutDownDrainWaitsForAHandler() throws Exception {
        ExecutorService stopper = Executors.newSingleThreadExecutor();
        CountDownLatch handling = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (BridgeContainer container = BridgeContainer.start(orders())) {
            BridgeRuntime runtime = container.select(BridgeRuntime.class);
            Connection connection = runtime.connection();
            // a handler still running when the application stops: the drain waits for it (up to 10 s)
            Dispatcher busy = connection.createDispatcher(message -> {
                handling.countDown();
                release.await();
            });
            busy.subscribe("monitor.test");
            connection.publish("monitor.test", new byte[0]);
            assertThat(handling.await(10, TimeUnit.SECONDS)).as("the handler got the message").isTrue();
            AtomicReference<Thread> stopping = new AtomicReference<>();
            Future<?> stopped = stopper.submit(() -> {
                stopping.set(Thread.currentThread());
                runtime.stop();
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> inDrain(stopping.get()));

            Optional<Connection> current = assertTimeoutPreemptively(PROMPTLY, runtime::currentConnection,
                    "currentConnection() waited for the drain");

            assertThat(current).as("no connection to publish on once the shut-down began").isEmpty();
            release.countDown();
            stopped.get(15, TimeUnit.SECONDS);
            assertThat(connection.getStatus()).isEqualTo(Connection.Status.CLOSED);
        } finally {
            release.countDown();
            stopper.shutdownNow();
        }
    }

    @Test
    void theConnectionIsReadPromptlyWhileAReProvisioningRunWaitsForJetStream() throws Exception {
        ExecutorService provisioner = Executors.newSingleThreadExecutor();
        CountDownLatch provisioning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // the bean itself, not its CDI proxy: the test replaces a collaborator of the instance
        BridgeRuntime runtime = new BridgeRuntime();
        runtime.config = BridgeConfig.builder().appName("orders").destinationApp("billing").natsUrls(NATS.url())
                .set(ConfigKey.CONSUMER_ENABLED, "false").build();
        runtime.executors = new ManagedExecutors();
        try {
            runtime.open();
            Connection connection = runtime.connection();
            var provisionForReal = runtime.provisioner;
            // a JetStream that takes its time answering the provisioning calls
            runtime.provisioner = conn -> {
                provisioning.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return provisionForReal.apply(conn);
            };
            Future<?> reprovisioned = provisioner.submit(runtime::reprovision);
            assertThat(provisioning.await(10, TimeUnit.SECONDS)).as("re-provisioning began").isTrue();

            Optional<Connection> current = assertTimeoutPreemptively(PROMPTLY, runtime::currentConnection,
                    "currentConnection() waited for the re-provisioning");

            assertThat(current).containsSame(connection);
            release.countDown();
            reprovisioned.get(15, TimeUnit.SECONDS);
            assertThat(runtime.provisioning()).isPresent();
        } finally {
            release.countDown();
            provisioner.shutdownNow();
            runtime.stop();
            runtime.executors.shutdown();
        }
    }

    /** The thread is inside {@code BridgeRuntime.stop}, waiting for the connection's drain. */
    private static boolean inDrain(Thread thread) {
        return thread != null && thread.getState() == Thread.State.TIMED_WAITING
                && Arrays.stream(thread.getStackTrace()).anyMatch(frame -> frame.getMethodName().equals("stop")
                && frame.getClassName().equals(BridgeRuntime.class.getName()));
    }
}
