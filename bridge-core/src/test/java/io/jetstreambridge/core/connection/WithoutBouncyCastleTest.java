package io.jetstreambridge.core.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StorageType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs in the surefire execution {@code without-bouncycastle} (by its tag), whose class path lacks
 * {@code org.bouncycastle:bcprov-lts8on}, the 5.9 MB jnats brings: what an application that leaves it out of its WAR
 * gets. jnats needs it only for Ed25519 (nkey signatures: {@code NKey}, used for nkey seeds and creds files); user
 * and password (or a token) connect and publish without it, and nkey or creds authentication fails at once with a
 * message that says what is missing instead of a {@code NoClassDefFoundError} from inside jnats.
 */
@Tag("without-bouncycastle")
class WithoutBouncyCastleTest {

    /** A syntactically valid user seed (the NATS documentation's example); it is never used to sign here. */
    private static final String SEED = "SUACSSL3UAHUDXKFSNVUZRF5UHPMWZ6BFDTJ7M6USDXIEDNPPQYYYCU3VY";

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create(server -> server
            .credentials("app", "app-secret"));

    private static BridgeConfig.Builder config() {
        return BridgeConfig.builder().appName("orders").destinationApp("billing").natsUrls(NATS.url())
                .set(ConfigKey.NATS_CONNECT_TIMEOUT, "1s");
    }

    @Test
    void thisClassPathReallyLacksBouncyCastle() {
        assertThat(NatsConnector.bouncyCastlePresent()).isFalse();
        assertThatThrownBy(() -> Class.forName("org.bouncycastle.crypto.signers.Ed25519Signer"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void userAndPasswordConnectAndPublishToJetStream() throws Exception {
        BridgeConfig config = config().set(ConfigKey.NATS_USER, "app").set(ConfigKey.NATS_PASSWORD, "app-secret")
                .build();

        try (Connection connection = new NatsConnector(config.nats(), null).connect()) {
            JetStreamManagement jsm = connection.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("no-bc").subjects("no-bc.>")
                    .storageType(StorageType.Memory).build());
            PublishAck ack = connection.jetStream().publish("no-bc.event",
                    "{}".getBytes(StandardCharsets.UTF_8));

            assertThat(ack.getStream()).isEqualTo("no-bc");
            assertThat(ack.getSeqno()).isEqualTo(1);
        }
    }

    @Test
    void anNkeySeedFailsWithAMessageThatNamesWhatIsMissing() {
        BridgeConfig config = config().set(ConfigKey.NATS_NKEY_SEED, SEED).build();

        assertThatThrownBy(() -> new NatsConnector(config.nats(), null).connect())
                .isInstanceOf(ConnectionFailedException.class)
                .hasMessageContaining("jetstream.bridge.nats.nkey-seed")
                .hasMessageContaining("org.bouncycastle:bcprov-lts8on")
                .hasMessageContaining("jetstream.bridge.nats.user")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SEED));
    }

    @Test
    void aCredsFileFailsWithAMessageThatNamesWhatIsMissing(@TempDir Path dir) throws Exception {
        Path creds = Files.writeString(dir.resolve("orders.creds"), "-----BEGIN NATS USER JWT-----\n");
        BridgeConfig config = config().set(ConfigKey.NATS_CREDS_FILE, creds.toString()).build();

        assertThatThrownBy(() -> new NatsConnector(config.nats(), null).connect())
                .isInstanceOf(ConnectionFailedException.class)
                .hasMessageContaining("jetstream.bridge.nats.creds-file")
                .hasMessageContaining("org.bouncycastle:bcprov-lts8on");
    }
}
