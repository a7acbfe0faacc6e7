package io.jetstreambridge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Asks one nats-server whether it is ready.
 *
 * <p>Readiness is "the client port accepts TCP connections" and "{@code GET /healthz} on the monitoring
 * port answers 200". The monitoring endpoint is used rather than a jnats round trip because it needs no
 * credentials, so it works whatever {@code authorization} or {@code accounts} a test configures. On
 * nats-server 2.9 the plain {@code /healthz} also fails until a clustered node has contact with a
 * JetStream meta leader and its streams are current, which is what a restarted cluster node needs.
 * Plain {@link HttpURLConnection} is used because it starts no background threads.
 */
final class HealthProbe {

    private static final int TIMEOUT_MILLIS = 1_000;

    private final int clientPort;
    private final String healthUrl;
    private volatile String lastAnswer = "(not asked yet)";

    HealthProbe(int clientPort, String monitorUrl) {
        this.clientPort = clientPort;
        this.healthUrl = monitorUrl + "/healthz";
    }

    boolean isReady() {
        return acceptsConnections() && isHealthy();
    }

    /** What the last probe saw, for timeout messages (e.g. "503 JetStream has no meta leader"). */
    String lastAnswer() {
        return lastAnswer;
    }

    private boolean acceptsConnections() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", clientPort), TIMEOUT_MILLIS);
            return true;
        } catch (IOException e) {
            lastAnswer = "client port " + clientPort + ": " + e.getMessage();
            return false;
        }
    }

    private boolean isHealthy() {
        HttpURLConnection http = null;
        try {
            http = (HttpURLConnection) URI.create(healthUrl).toURL().openConnection();
            http.setConnectTimeout(TIMEOUT_MILLIS);
            http.setReadTimeout(TIMEOUT_MILLIS);
            int status = http.getResponseCode();
            lastAnswer = healthUrl + " -> " + status + " " + body(http, status);
            return status == 200;
        } catch (IOException e) {
            lastAnswer = healthUrl + " -> " + e;
            return false;
        } finally {
            if (http != null) {
                http.disconnect();
            }
        }
    }

    private static String body(HttpURLConnection http, int status) throws IOException {
        try (InputStream in = status >= 400 ? http.getErrorStream() : http.getInputStream()) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }
}
