package io.jetstreambridge.testing;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Proves {@link NatsServer} really runs, persists, dies and comes back. */
class NatsServerFixtureTest {

    private static final StreamConfiguration ORDERS = StreamConfiguration.builder()
            .name("ORDERS")
            .subjects("orders.>")
            .storageType(StorageType.File)
            .build();

    @Test
    void acknowledgedMessagesSurviveSigkillAndRestartOnTheSamePort() throws Exception {
        try (NatsServer server = NatsServer.builder().start()) {
            int port = server.port();
            assertThat(server.url()).isEqualTo("nats://127.0.0.1:" + port);
            assertThat(server.storeDir()).startsWith(FixtureFiles.defaultRoot());

            try (Connection connection = server.connect()) {
                connection.jetStreamManagement().addStream(ORDERS);
                PublishAck ack = connection.jetStream()
                        .publish("orders.created", "order-1".getBytes(StandardCharsets.UTF_8));
                assertThat(ack.getSeqno()).isEqualTo(1);
            }

            server.kill();
            assertThat(server.isRunning()).isFalse();

            server.restart();
            assertThat(server.isRunning()).isTrue();
            assertThat(server.port()).isEqualTo(port);
            try (Connection connection = server.connect()) {
                JetStreamManagement jsm = connection.jetStreamManagement();
                assertThat(jsm.getStreamInfo("ORDERS").getStreamState().getMsgCount()).isEqualTo(1);
                assertThat(new String(jsm.getMessage("ORDERS", 1).getData(), StandardCharsets.UTF_8))
                        .isEqualTo("order-1");
            }
        }
    }

    @Test
    void stoppedServerRefusesConnectionsUntilRestarted() throws Exception {
        try (NatsServer server = NatsServer.builder().start()) {
            server.stop();

            assertThat(server.isRunning()).isFalse();
            assertThatThrownBy(() -> Nats.connect(server.url())).isInstanceOf(IOException.class);
            assertThatThrownBy(server::connect).isInstanceOf(NatsFixtureException.class);

            server.restart();
            try (Connection connection = Nats.connect(server.url())) {
                assertThat(connection.getStatus()).isEqualTo(Connection.Status.CONNECTED);
                assertThat(connection.getConnectedUrl()).endsWith(":" + server.port());
            }
        }
    }

    @Test
    void fixtureConnectionsReconnectAfterARestart() throws Exception {
        try (NatsServer server = NatsServer.builder().start();
             Connection connection = server.connect()) {
            connection.jetStreamManagement().addStream(ORDERS);

            server.kill();
            server.restart();

            JetStream js = connection.jetStream();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(connection.getStatus()).isEqualTo(Connection.Status.CONNECTED));
            assertThat(js.publish("orders.created", new byte[] {1}).getSeqno()).isEqualTo(1);
        }
    }

    @Test
    void extraAndJetStreamConfigEndUpInTheServer() throws Exception {
        try (NatsServer server = NatsServer.builder()
                .serverName("configured")
                .extraConfig("max_payload: 4KB")
                .jetStreamConfig("max_memory_store: 64MB")
                .start();
             Connection connection = server.connect()) {

            assertThat(connection.getServerInfo().getServerName()).isEqualTo("configured");
            assertThat(connection.getServerInfo().getMaxPayload()).isEqualTo(4096);
            // the generated store_dir must still be in effect next to the extra jetstream setting
            assertThat(get(server.monitorUrl() + "/jsz"))
                    .containsPattern("\"max_memory\":\\s*67108864")
                    .contains(server.storeDir().resolve("jetstream").toString());
            assertThat(Files.readString(server.logFile())).contains("Server is ready");
        }
    }

    @Test
    void startFailureExplainsItselfWithTheServerOutput() {
        try (NatsServer server = NatsServer.builder().extraConfig("broken {").build()) {
            assertThatThrownBy(server::start)
                    .isInstanceOf(NatsFixtureException.class)
                    .hasMessageContaining("exited during start-up")
                    .hasMessageContaining("Parse error");
            assertThat(server.isRunning()).isFalse();
        }
    }

    @Test
    void closeStopsTheServerAndDeletesItsDirectory() {
        NatsServer server = NatsServer.builder().start();
        Path storeDir = server.storeDir();
        assertThat(storeDir.resolve("jetstream")).isDirectory();

        server.close();

        assertThat(server.isRunning()).isFalse();
        assertThat(storeDir).doesNotExist();
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
