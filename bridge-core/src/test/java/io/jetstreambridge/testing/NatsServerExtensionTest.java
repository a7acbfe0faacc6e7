package io.jetstreambridge.testing;

import io.nats.client.Connection;
import io.nats.client.JetStreamOptions;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link NatsServerExtension} with users and permissions, which is how most bridge tests will use it.
 * The methods run in a fixed order because some check what an earlier one left behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NatsServerExtensionTest {

    private static final String USERS = """
            authorization {
              users = [
                { user: admin, password: secret }
                { user: app, password: app, permissions: { publish: "orders.>", subscribe: "_INBOX.>" } }
              ]
            }
            """;

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create(server -> server
            .serverName("secured")
            .extraConfig(USERS)
            .credentials("admin", "secret"));

    @BeforeEach
    void startFromAnEmptyJetStream() {
        NATS.cleanJetStream();
    }

    @Test
    @Order(1)
    void fixtureConnectionUsesTheConfiguredCredentials() throws Exception {
        Connection connection = NATS.connect();

        assertThat(connection.getServerInfo().getServerName()).isEqualTo("secured");
        connection.jetStreamManagement().addStream(StreamConfiguration.builder()
                .name("LEFTOVER").subjects("leftover").storageType(StorageType.Memory).build());
        assertThat(connection.jetStreamManagement().getStreamNames()).containsExactly("LEFTOVER");
    }

    @Test
    @Order(2)
    void cleanJetStreamRemovedTheStreamOfThePreviousTest() throws Exception {
        assertThat(NATS.connect().jetStreamManagement().getStreamNames()).isEmpty();
    }

    @Test
    @Order(3)
    void anonymousConnectionsAreRejected() {
        // nats-server answers with -ERR 'Authorization Violation'; jnats only gives up at its connection
        // timeout, so keep that short
        Options anonymous = new Options.Builder().server(NATS.url()).connectionTimeout(Duration.ofMillis(500)).build();

        assertThatThrownBy(() -> Nats.connect(anonymous)).isInstanceOf(IOException.class);
    }

    @Test
    @Order(4)
    void permissionsOfTheRestrictedUserApply() throws Exception {
        Connection admin = NATS.connect();
        Connection app = NATS.connect(options -> options.userInfo("app", "app"));
        Subscription orders = admin.subscribe("orders.>");
        admin.flush(Duration.ofSeconds(2));

        app.publish("orders.created", "order-1".getBytes(StandardCharsets.UTF_8));
        Message received = orders.nextMessage(Duration.ofSeconds(5));
        assertThat(received).isNotNull();
        assertThat(new String(received.getData(), StandardCharsets.UTF_8)).isEqualTo("order-1");

        // publishing to $JS.API.> is denied, so the request never gets an answer
        JetStreamOptions quick = JetStreamOptions.builder().requestTimeout(Duration.ofMillis(500)).build();
        assertThatThrownBy(() -> app.jetStreamManagement(quick).getAccountStatistics())
                .isInstanceOf(IOException.class);
    }

    @Test
    @Order(5)
    void aTestMayKillTheServer() {
        NATS.server().kill();

        assertThat(NATS.server().isRunning()).isFalse();
    }

    @Test
    @Order(6)
    void theNextTestGetsItBackOnTheSamePort() throws Exception {
        assertThat(NATS.server().isRunning()).isTrue();
        try (Connection connection = Nats.connect(NATS.server().connectionOptions().build())) {
            assertThat(connection.getConnectedUrl()).isEqualTo(NATS.url());
        }
    }
}
