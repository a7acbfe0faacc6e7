package io.jetstreambridge.core.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.core.topology.ProvisioningReport.Action;
import io.jetstreambridge.testing.NatsServer;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Start-up provisioning against a server whose JetStream does not answer yet. */
class StartupProvisioningTest {

    private static final Logger BRIDGE_LOG = Logger.getLogger("io.jetstreambridge");

    private final List<String> retries = new CopyOnWriteArrayList<>();
    private final List<Runnable> onFirstRetry = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getMessage() != null && record.getMessage().startsWith("JSB2007")) {
                retries.add(record.getMessage());
                if (retries.size() == 1) {
                    onFirstRetry.forEach(CompletableFuture::runAsync);
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private NatsServer nats;
    private Connection connection;

    @BeforeEach
    void setUp() {
        nats = NatsServer.builder().start();
        connection = nats.connect();
        BRIDGE_LOG.addHandler(capture);
    }

    @AfterEach
    void tearDown() throws Exception {
        BRIDGE_LOG.removeHandler(capture);
        connection.close();
        nats.close();
    }

    private BridgeConfig orders() {
        return BridgeConfig.builder().appName("orders").destinationApp("billing").natsUrls(nats.url()).build();
    }

    private StartupProvisioning startup(Duration patience) throws Exception {
        JetStreamManagement jsm = connection.jetStreamManagement();
        BridgeConfig config = orders();
        return new StartupProvisioning(() -> new StreamProvisioner(jsm, config).provision(), patience);
    }

    @Test
    void provisioningIsTriedAgainUntilJetStreamAnswers() throws Exception {
        StartupProvisioning startup = startup(Duration.ofSeconds(30));
        nats.kill();
        onFirstRetry.add(nats::restart); // the server comes back only once the first attempt has failed

        ProvisioningReport report = startup.run();

        assertThat(report.streamAction()).isEqualTo(Action.CREATED);
        assertThat(report.primaryConsumer().action()).isEqualTo(Action.CREATED);
        assertThat(retries).isNotEmpty();
        assertThat(retries.get(0)).contains("JetStream unavailable at start-up (attempt 1)")
                .contains("provisioning again in 250 ms, for at most 30 s in all")
                .contains("no answer from JetStream while provisioning stream 'jetstream-bridge-stream'");
        assertThat(connection.jetStreamManagement().getStreamNames()).containsExactly("jetstream-bridge-stream");
    }

    @Test
    void startUpFailsWithTheLastErrorWhenJetStreamStaysSilent() throws Exception {
        StartupProvisioning startup = startup(Duration.ofSeconds(5));
        nats.kill();
        long started = System.nanoTime();

        assertThatThrownBy(startup::run).isInstanceOf(JetStreamUnavailableException.class)
                .hasMessageContaining("no answer from JetStream while provisioning stream 'jetstream-bridge-stream'");

        assertThat(retries).isNotEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void aRefusalIsNotTriedAgain() throws Exception {
        connection.jetStreamManagement().addStream(StreamConfiguration.builder().name("LEGACY")
                .subjects("orders.>").storageType(StorageType.Memory).build());

        assertThatThrownBy(startup(Duration.ofSeconds(30))::run).isInstanceOf(TopologyException.class)
                .isNotInstanceOf(JetStreamUnavailableException.class).hasMessageContaining("stream 'LEGACY'");
        assertThat(retries).isEmpty();
    }
}
