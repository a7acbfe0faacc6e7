package io.jetstreambridge.core.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TokenAuthenticationTest {

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create(server -> server
            .extraConfig("authorization { token: \"s3cr3t-token\" }"));

    private static BridgeConfig.Builder config() {
        return BridgeConfig.builder().appName("orders").destinationApp("billing")
                .natsUrls(NATS.url()).set(ConfigKey.NATS_CONNECT_TIMEOUT, "1s");
    }

    @Test
    void tokenConnects() throws Exception {
        BridgeConfig config = config().set(ConfigKey.NATS_TOKEN, "s3cr3t-token").build();

        try (Connection connection = new NatsConnector(config.nats(), null).connect()) {
            assertThat(connection.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        }
    }

    @Test
    void wrongTokenIsRefusedWithoutShowingIt() {
        BridgeConfig config = config().set(ConfigKey.NATS_TOKEN, "guessed-token").build();

        assertThatThrownBy(() -> new NatsConnector(config.nats(), null).connect())
                .isInstanceOf(ConnectionFailedException.class)
                .hasMessageContaining("authentication: token")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("guessed-token"));
    }
}
