package io.jetstreambridge.core.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.nats.client.Connection;
import io.nats.client.Message;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;

/**
 * What the connection tests that generate key material share: a directory of its own for each run under
 * {@code target/}, deleted afterwards, the configuration of the {@code orders} application, a request-reply round trip
 * and a GET on the server's monitoring port.
 */
final class ConnectionTestSupport {

    private ConnectionTestSupport() {
    }

    /** A fresh directory {@code <module>/target/<area>/<prefix>…} for the key material of one run. */
    static Path createKeyDirectory(String area, String prefix) throws IOException {
        Path target = Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "target")
                .toAbsolutePath();
        Files.createDirectories(target.resolve(area));
        return Files.createTempDirectory(target.resolve(area), prefix);
    }

    /** Deletes the generated key material of this run (throw-away, but keys all the same). */
    static void deleteKeyDirectory(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** The application {@code orders} (destination {@code billing}) at {@code natsUrl}, connect timeout 1 s. */
    static BridgeConfig.Builder ordersConfig(String natsUrl) {
        return BridgeConfig.builder().appName("orders").destinationApp("billing").natsUrls(natsUrl)
                .set(ConfigKey.NATS_CONNECT_TIMEOUT, "1s");
    }

    /** Answers {@code orders.ping} on the connection and asserts that a request with {@code payload} comes back. */
    static void assertRoundTrip(Connection connection, String payload) throws Exception {
        var dispatcher = connection.createDispatcher(msg ->
                connection.publish(msg.getReplyTo(), ("pong:" + new String(msg.getData(), StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8)));
        dispatcher.subscribe("orders.ping");
        connection.flush(Duration.ofSeconds(2));
        Message reply = connection.request("orders.ping", payload.getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(2));
        assertThat(reply).isNotNull();
        assertThat(new String(reply.getData(), StandardCharsets.UTF_8)).isEqualTo("pong:" + payload);
    }

    /** The body of a GET, asserting status 200. */
    static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
