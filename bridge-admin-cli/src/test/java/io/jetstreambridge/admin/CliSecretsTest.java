package io.jetstreambridge.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetstreambridge.testing.NatsServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

/** What the command line prints when the password travels inside the server URL: never the password. */
class CliSecretsTest {

    /** A password with the characters that must be percent-encoded inside a URL's user info. */
    private static final String PASSWORD = "s3cr/et@x";
    private static final String ENCODED = "s3cr%2Fet%40x";

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create(server -> server
            .credentials("alice", PASSWORD)
            .extraConfig("""
                    authorization {
                      users = [ { user: alice, password: "%s" } ]
                    }
                    """.formatted(PASSWORD)));

    private static Map<String, String> urls(String urls) {
        return Map.of("JETSTREAM_BRIDGE_APP_NAME", "orders", "JETSTREAM_BRIDGE_DESTINATION_APP", "billing",
                "JETSTREAM_BRIDGE_NATS_URLS", urls, "JETSTREAM_BRIDGE_NATS_CONNECT_TIMEOUT", "1s");
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3cr%2Fet", ENCODED})
    void anUnreachableServerIsNamedWithoutThePasswordOfItsUrlEvenVerbose(String password) throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        CliRun run = CliRun.of(urls("nats://alice:" + password + "@127.0.0.1:" + closedPort), "test-connection",
                "--verbose");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.err()).contains("nats://******@127.0.0.1:" + closedPort)
                .contains("authentication: user-password")
                .doesNotContain("s3cr").doesNotContain("alice:");
        assertThat(run.out()).doesNotContain("s3cr");
    }

    @Test
    void credentialsInTheUrlAreNamedAsTheAuthenticationInUse() {
        String url = "nats://alice:" + ENCODED + "@127.0.0.1:" + NATS.server().port();

        CliRun run = CliRun.of(urls(url), "test-connection");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).containsPattern("server +nats://\\*\\*\\*\\*\\*\\*@127.0.0.1:" + NATS.server().port())
                .containsPattern("authentication +user-password \\(in the URL\\)")
                .doesNotContain("s3cr").doesNotContain("alice:");
    }

    @Test
    void validateNamesTheAuthenticationOfTheUrlWithoutItsPassword() {
        String url = "nats://alice:" + ENCODED + "@127.0.0.1:4222";

        CliRun run = CliRun.of(urls(url), "validate");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("nats://******@127.0.0.1:4222 (authentication: user-password (in the URL)")
                .doesNotContain("s3cr");
    }
}
