package io.jetstreambridge.core.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.NKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

class NatsConnectorTest {

    private static final NKey USER_KEY = newUserKey();

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create(server -> server
            .credentials("admin", "admin-secret")
            .extraConfig("""
                    authorization {
                      users = [
                        { user: admin, password: admin-secret }
                        { user: app, password: app-secret }
                        { nkey: %s }
                      ]
                    }
                    """.formatted(publicKey())));

    private static BridgeConfig.Builder config() {
        return BridgeConfig.builder().appName("orders").destinationApp("billing").natsUrls(NATS.url())
                .set(ConfigKey.NATS_CONNECT_TIMEOUT, "1s");
    }

    @Test
    void userAndPasswordConnectWithTheConfiguredName() throws Exception {
        BridgeConfig config = config().set(ConfigKey.NATS_USER, "app").set(ConfigKey.NATS_PASSWORD, "app-secret")
                .set(ConfigKey.NATS_CONNECTION_NAME, "orders-node-1").build();

        try (Connection connection = new NatsConnector(config.nats(), null).connect()) {
            assertThat(connection.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            assertThat(connection.getOptions().getConnectionName()).isEqualTo("orders-node-1");
            assertThat(connection.getOptions().getReconnectWait()).isEqualTo(Duration.ofSeconds(2));
            assertThat(connection.getOptions().getMaxReconnect()).isEqualTo(-1);
        }
    }

    @Test
    void nkeySeedConnects() throws Exception {
        BridgeConfig config = config().set(ConfigKey.NATS_NKEY_SEED, new String(USER_KEY.getSeed())).build();

        try (Connection connection = new NatsConnector(config.nats(), null).connect()) {
            assertThat(connection.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        }
    }

    @Test
    void wrongPasswordFailsClearlyWithoutShowingIt() {
        BridgeConfig config = config().set(ConfigKey.NATS_USER, "app")
                .set(ConfigKey.NATS_PASSWORD, "not-the-password").build();

        assertThatThrownBy(() -> new NatsConnector(config.nats(), null).connect())
                .isInstanceOf(ConnectionFailedException.class)
                .hasMessageContaining("cannot connect 'jetstream-bridge:orders' to " + NATS.url())
                .hasMessageContaining("authentication: user-password")
                .hasMessageContaining("Authorization Violation")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not-the-password"));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"p%2Fss", "s3cr%2Fet%40x"})
    void anUnreachableServerIsNamedWithoutTheUserInfoOfItsUrl(String password) throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        BridgeConfig config = BridgeConfig.builder().appName("orders").destinationApp("billing")
                .natsUrls("nats://user:" + password + "@127.0.0.1:" + closedPort)
                .set(ConfigKey.NATS_CONNECT_TIMEOUT, "1s").build();

        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(
                () -> new NatsConnector(config.nats(), null).connect());

        assertThat(failure).isInstanceOf(ConnectionFailedException.class)
                .hasMessageContaining("nats://******@127.0.0.1:" + closedPort)
                .hasMessageContaining("authentication: user-password");
        java.io.StringWriter trace = new java.io.StringWriter();
        failure.printStackTrace(new java.io.PrintWriter(trace));
        assertThat(trace.toString()).as("message, causes and stack trace").doesNotContain(password)
                .doesNotContain(java.net.URLDecoder.decode(password, java.nio.charset.StandardCharsets.UTF_8))
                .doesNotContain("user:");
    }

    @Test
    void defaultConnectionNameCarriesTheAppName() throws Exception {
        BridgeConfig config = config().set(ConfigKey.NATS_USER, "app").set(ConfigKey.NATS_PASSWORD, "app-secret")
                .build();

        try (Connection connection = new NatsConnector(config.nats(), null).connect()) {
            assertThat(connection.getOptions().getConnectionName()).isEqualTo("jetstream-bridge:orders");
        }
    }

    @Test
    void lazyConnectStartsWhileNatsIsDownAndConnectsWhenItComesBack() throws Exception {
        BridgeConfig config = config().set(ConfigKey.NATS_USER, "app").set(ConfigKey.NATS_PASSWORD, "app-secret")
                .set(ConfigKey.NATS_LAZY_CONNECT, "true").set(ConfigKey.NATS_RECONNECT_WAIT, "100ms").build();
        NATS.server().stop();

        CompletableFuture<Connection> connecting = new NatsConnector(config.nats(), null).connectInBackground();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !connecting.isDone());
        NATS.server().restart();

        try (Connection connection = connecting.get(10, TimeUnit.SECONDS)) {
            assertThat(connection.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        }
    }

    private static NKey newUserKey() {
        try {
            return NKey.createUser(new SecureRandom());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String publicKey() {
        try {
            return new String(USER_KEY.getPublicKey());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
