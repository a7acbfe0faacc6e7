package io.jetstreambridge.core.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.testing.fakes.Journal;
import io.jetstreambridge.testing.fakes.RecordingJetStream;
import io.nats.client.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The life cycle pull and push share ({@link ConsumerLoop}), run on both without a server: a connection on which no
 * worker can subscribe. Both engines start their workers once, keep every worker alive through the failures
 * (recovering, the failure reported for health), stop within the drain timeout and refuse to start again.
 */
class ConsumerLoopTest {

    private final AtomicInteger attempts = new AtomicInteger();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    private ConsumerEngine engine(String mode) {
        BridgeConfig orders = BridgeConfig.builder().appName("orders").destinationApp("billing")
                .natsUrls("nats://127.0.0.1:1").set(ConfigKey.CONSUMER_MODE, mode)
                .set(ConfigKey.CONSUMER_CONCURRENCY, "2").build();
        return ConsumerEngine.builder()
                .connection(refusingConnection())
                .topology(orders.topology())
                .settings(orders.consumer())
                .processor(MessageProcessorTest.processor(orders.topology(), new RecordingJetStream(new Journal()),
                        event -> { }, Set.of()).build())
                .threads(work -> {
                    Thread thread = new Thread(work);
                    threads.add(thread);
                    return thread;
                })
                .drainTimeout(Duration.ofSeconds(2))
                .build();
    }

    /** Connected, but every subscription fails: pull's JetStream context, push's dispatcher. */
    private Connection refusingConnection() {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[]{Connection.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getStatus" -> Connection.Status.CONNECTED;
                    case "jetStream" -> {
                        attempts.incrementAndGet();
                        throw new IOException("no JetStream for this user");
                    }
                    case "createDispatcher" -> {
                        attempts.incrementAndGet();
                        throw new IllegalStateException("no subscriptions for this user");
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "refusing connection";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"pull", "push"})
    void workersSurviveEveryFailureReportItAndStopWithinTheDrainTimeout(String mode) {
        ConsumerEngine engine = engine(mode);
        assertThat(engine.state()).isEqualTo(ConsumerEngine.State.STARTING);

        engine.start();
        engine.start(); // a second start does nothing

        await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() >= 4); // each of 2 workers tried again
        assertThat(threads).hasSize(2).allMatch(Thread::isAlive);
        assertThat(engine.state()).isEqualTo(ConsumerEngine.State.RECOVERING);
        assertThat(engine.lastError()).get().extracting(Throwable::getMessage).asString()
                .startsWith("no ");

        long started = System.nanoTime();
        engine.close();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(threads).noneMatch(Thread::isAlive);
        assertThat(engine.state()).isEqualTo(ConsumerEngine.State.STOPPED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pull", "push"})
    void aClosedEngineRefusesToStartAgain(String mode) {
        ConsumerEngine engine = engine(mode).start();
        engine.close();

        assertThatIllegalStateException().isThrownBy(engine::start)
                .withMessageContaining(mode + " consumer engine of 'orders-workers' is closed");
        assertThat(engine.state()).isEqualTo(ConsumerEngine.State.STOPPED);
        assertThat(threads).hasSize(2).noneMatch(Thread::isAlive);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pull", "push"})
    void anEngineClosedBeforeItStartedRefusesToStart(String mode) {
        ConsumerEngine engine = engine(mode);
        engine.close();

        assertThatIllegalStateException().isThrownBy(engine::start);
        assertThat(threads).isEmpty();
    }

    @Test
    void theBuilderNamesEveryMissingCollaborator() {
        assertThatIllegalStateException().isThrownBy(() -> ConsumerEngine.builder().build())
                .withMessageContaining("connection").withMessageContaining("topology")
                .withMessageContaining("settings").withMessageContaining("processor")
                .withMessageContaining("threads");
    }
}
