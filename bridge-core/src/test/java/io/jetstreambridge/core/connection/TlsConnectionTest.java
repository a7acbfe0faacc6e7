package io.jetstreambridge.core.connection;

import static io.jetstreambridge.core.connection.ConnectionTestSupport.assertRoundTrip;
import static io.jetstreambridge.core.connection.ConnectionTestSupport.createKeyDirectory;
import static io.jetstreambridge.core.connection.ConnectionTestSupport.deleteKeyDirectory;
import static io.jetstreambridge.core.connection.ConnectionTestSupport.get;
import static io.jetstreambridge.core.connection.ConnectionTestSupport.ordersConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.testing.NatsServer;
import io.nats.client.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The connector against a real nats-server that requires TLS, with a throw-away CA and certificates generated
 * by {@code openssl} under {@code target/} for every run.
 *
 * <p>The servers are started here rather than through {@code NatsServerExtension}: the extension starts its
 * server before any {@code @BeforeAll} could write the certificates, and its own connections do not speak
 * TLS. Only {@code url()}, {@code monitorUrl()} and {@code logFile()} of the fixture are used; its readiness probe (a TCP
 * connect plus the plain-HTTP monitoring port) is unaffected by TLS on the client port.
 */
class TlsConnectionTest {

    private static final String STORE_PASSWORD = "store-secret";

    private static Path dir;
    private static Path truststore;
    private static Path clientKeystore;
    /** TLS required, client certificates not asked for. */
    private static NatsServer tlsServer;
    /** Mutual TLS: {@code verify: true}, client certificates must be signed by the test CA. */
    private static NatsServer mutualTlsServer;

    @BeforeAll
    static void generateCertificatesAndStartServers() throws Exception {
        dir = createKeyDirectory("tls-test", "pki-");

        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ca-key.pem", "-out", "ca.pem", "-days", "2", "-subj", "/CN=JetStream Bridge Test CA",
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        issue("server", "/CN=localhost", "serverAuth", "subjectAltName=IP:127.0.0.1,DNS:localhost\n", 2);
        issue("client", "/CN=orders-bridge", "clientAuth", "", 3);

        X509Certificate ca = certificate(dir.resolve("ca.pem"));
        truststore = dir.resolve("truststore.p12");
        KeyStore trust = emptyPkcs12();
        trust.setCertificateEntry("test-ca", ca);
        save(trust, truststore);

        clientKeystore = dir.resolve("client.p12");
        KeyStore keys = emptyPkcs12();
        keys.setKeyEntry("client", privateKey(dir.resolve("client-key.pem")), STORE_PASSWORD.toCharArray(),
                new Certificate[] {certificate(dir.resolve("client.pem")), ca});
        save(keys, clientKeystore);

        String tlsBlock = """
                tls {
                  cert_file: "%s"
                  key_file: "%s"
                  ca_file: "%s"
                  timeout: 2
                """.formatted(dir.resolve("server.pem"), dir.resolve("server-key.pem"), dir.resolve("ca.pem"));
        // started side by side to keep the class fast; a start failure is rethrown by join()
        CompletableFuture<NatsServer> plain = CompletableFuture.supplyAsync(
                () -> NatsServer.builder().extraConfig(tlsBlock + "}\n").start());
        CompletableFuture<NatsServer> mutual = CompletableFuture.supplyAsync(
                () -> NatsServer.builder().extraConfig(tlsBlock + "  verify: true\n}\n").start());
        CompletableFuture.allOf(plain, mutual).handle((ignored, failure) -> null).join();
        tlsServer = plain.isCompletedExceptionally() ? null : plain.join();
        mutualTlsServer = mutual.isCompletedExceptionally() ? null : mutual.join();
        plain.join();
        mutual.join();
    }

    @AfterAll
    static void stopServersAndDeleteKeys() throws IOException {
        try {
            if (tlsServer != null) {
                tlsServer.close();
            }
            if (mutualTlsServer != null) {
                mutualTlsServer.close();
            }
        } finally {
            deleteKeyDirectory(dir);
        }
    }

    private static BridgeConfig.Builder config(NatsServer server) {
        return ordersConfig(server.url()).set(ConfigKey.NATS_TLS_ENABLED, "true");
    }

    @Test
    void truststoreWithTheServersCaGivesATlsConnection() throws Exception {
        BridgeConfig config = config(tlsServer)
                .set(ConfigKey.NATS_TLS_TRUSTSTORE, truststore.toString())
                .set(ConfigKey.NATS_TLS_TRUSTSTORE_PASSWORD, STORE_PASSWORD)
                .build();

        try (Connection connection = new NatsConnector(config.nats(), null).connect()) {
            assertThat(connection.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            assertThat(connection.getServerInfo().isTLSRequired()).isTrue();
            assertThat(connection.getOptions().getSslContext()).isNotNull();
            assertRoundTrip(connection, "42");
            // the server's own view: the client connection negotiated TLS
            assertThat(connz(tlsServer)).contains("\"name\": \"jetstream-bridge:orders\"")
                    .containsPattern("\"tls_version\": \"1\\.[23]\"");
        }
    }

    @Test
    void withoutTheTruststoreTheJvmDefaultTrustRejectsTheTestCa() throws IOException {
        BridgeConfig config = config(tlsServer).build();
        String rejected = "TLS handshake error: remote error: tls: unknown certificate";
        long rejectedBefore = occurrences(tlsServer, rejected);

        assertThatThrownBy(() -> new NatsConnector(config.nats(), null).connect())
                .isInstanceOf(ConnectionFailedException.class)
                .hasMessageContaining("cannot connect 'jetstream-bridge:orders' to " + tlsServer.url())
                .hasMessageContaining("authentication: none")
                // jnats reports the handshake's reason only to the error listener; the message carries it
                .hasMessageContaining("(last error: ")
                .hasMessageContaining("PKIX");
        // it failed because the client refused the server certificate, not because the server was unreachable
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(occurrences(tlsServer, rejected)).isGreaterThan(rejectedBefore));
    }

    @Test
    void mutualTlsConnectsWithTheClientCertificate() throws Exception {
        BridgeConfig config = config(mutualTlsServer)
                .set(ConfigKey.NATS_TLS_TRUSTSTORE, truststore.toString())
                .set(ConfigKey.NATS_TLS_TRUSTSTORE_PASSWORD, STORE_PASSWORD)
                .set(ConfigKey.NATS_TLS_KEYSTORE, clientKeystore.toString())
                .set(ConfigKey.NATS_TLS_KEYSTORE_PASSWORD, STORE_PASSWORD)
                .build();

        try (Connection connection = new NatsConnector(config.nats(), null).connect()) {
            assertThat(connection.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            assertThat(connection.getServerInfo().isTLSRequired()).isTrue();
            assertRoundTrip(connection, "42");
        }
    }

    @Test
    void mutualTlsServerRefusesAClientWithoutCertificate() throws IOException {
        BridgeConfig config = config(mutualTlsServer)
                .set(ConfigKey.NATS_TLS_TRUSTSTORE, truststore.toString())
                .set(ConfigKey.NATS_TLS_TRUSTSTORE_PASSWORD, STORE_PASSWORD)
                .build();
        String refused = "TLS handshake error: tls: client didn't provide a certificate";
        long refusedBefore = occurrences(mutualTlsServer, refused);

        assertThatThrownBy(() -> new NatsConnector(config.nats(), null).connect())
                .isInstanceOf(ConnectionFailedException.class)
                .hasMessageContaining("cannot connect 'jetstream-bridge:orders' to " + mutualTlsServer.url())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(STORE_PASSWORD));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(occurrences(mutualTlsServer, refused)).isGreaterThan(refusedBefore));
    }

    @Test
    void wrongTruststorePasswordFailsAsAConnectionFailureWithoutShowingIt() {
        BridgeConfig config = config(tlsServer)
                .set(ConfigKey.NATS_TLS_TRUSTSTORE, truststore.toString())
                .set(ConfigKey.NATS_TLS_TRUSTSTORE_PASSWORD, "not-the-store-password")
                .build();

        assertThatThrownBy(() -> new NatsConnector(config.nats(), null).connect())
                .isInstanceOf(ConnectionFailedException.class)
                .hasMessageContaining("'jetstream-bridge:orders'")
                .hasMessageContaining("password was incorrect")
                .hasMessageContaining(ConfigKey.NATS_TLS_TRUSTSTORE.fullName())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not-the-store-password"));
    }

    /** How often the server has logged this text; the log is shared by all tests of the class. */
    private static long occurrences(NatsServer server, String text) throws IOException {
        return Files.readString(server.logFile()).lines().filter(line -> line.contains(text)).count();
    }

    private static String connz(NatsServer server) throws IOException, InterruptedException {
        return get(server.monitorUrl() + "/connz");
    }

    /** A key and a certificate signed by the test CA, as PEM files {@code <name>-key.pem} and {@code <name>.pem}. */
    private static void issue(String name, String subject, String extendedKeyUsage, String extraExtensions,
                              int serial) throws Exception {
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", name + "-key.pem", "-out", name + ".csr", "-subj", subject);
        Files.writeString(dir.resolve(name + ".ext"), "basicConstraints=CA:FALSE\n"
                + "keyUsage=critical,digitalSignature,keyEncipherment\n"
                + "extendedKeyUsage=" + extendedKeyUsage + "\n" + extraExtensions);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem",
                "-set_serial", String.valueOf(serial), "-days", "2", "-extfile", name + ".ext",
                "-out", name + ".pem");
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Path log = dir.resolve("openssl.log");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("openssl did not finish: " + command);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("openssl failed (" + process.exitValue() + "): " + command + "\n"
                    + Files.readString(log));
        }
    }

    private static X509Certificate certificate(Path pem) throws Exception {
        try (var in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** Reads the unencrypted PKCS#8 key ({@code BEGIN PRIVATE KEY}) that OpenSSL 3 writes. */
    private static PrivateKey privateKey(Path pem) throws Exception {
        String text = Files.readString(pem);
        if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalStateException("expected a PKCS#8 PEM key in " + pem);
        }
        String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    private static KeyStore emptyPkcs12() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }

    private static void save(KeyStore store, Path file) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, STORE_PASSWORD.toCharArray());
        }
    }
}
