package io.jetstreambridge.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.cdi.BridgeEntityManagers;
import io.jetstreambridge.cdi.ConsumerRuntime;
import io.jetstreambridge.cdi.health.BridgeReadinessCheck;
import io.jetstreambridge.testing.NatsServer;
import io.jetstreambridge.testing.cdi.JtaContainer;
import io.nats.client.Nats;
import io.nats.client.NKey;
import io.nats.client.Options;
import io.nats.client.support.JwtUtils;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * F9: TLS with each kind of authentication (user and password, token, nkey, creds file with JWTs in operator mode):
 * the flow under load loses and doubles nothing; wrong credentials stop the start with a clear error naming the
 * servers and the kind of authentication (never the secret), and with lazy connect leave readiness DOWN while
 * every refused attempt is logged.
 */
@Tag("full")
class F9TlsAuthenticationTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static Path dir;
    private static Pki pki;

    @BeforeAll
    static void certificates() {
        dir = Path.of("target", "faults", "f9-pki-" + System.currentTimeMillis()).toAbsolutePath();
        pki = Pki.create(dir);
    }

    private Map<String, String> tls() {
        return Map.of("jetstream.bridge.nats.tls.enabled", "true",
                "jetstream.bridge.nats.tls.truststore", pki.truststore().toString(),
                "jetstream.bridge.nats.tls.truststore-password", Pki.STORE_PASSWORD);
    }

    private Options.Builder tlsOptions() {
        return new Options.Builder().truststorePath(pki.truststore().toString())
                .truststorePassword(Pki.STORE_PASSWORD.toCharArray());
    }

    @Test
    void userAndPassword() throws Exception {
        run("F9a", "user/password", "user-password",
                "authorization { user: bridge, password: \"good-password\" }\n",
                Map.of("jetstream.bridge.nats.user", "bridge", "jetstream.bridge.nats.password", "good-password"),
                tlsOptions().userInfo("bridge", "good-password"),
                Map.of("jetstream.bridge.nats.user", "bridge", "jetstream.bridge.nats.password", "wrong-password"),
                "wrong-password");
    }

    @Test
    void token() throws Exception {
        run("F9b", "token", "token", "authorization { token: \"good-token\" }\n",
                Map.of("jetstream.bridge.nats.token", "good-token"),
                tlsOptions().token("good-token".toCharArray()),
                Map.of("jetstream.bridge.nats.token", "wrong-token"), "wrong-token");
    }

    @Test
    void nkey() throws Exception {
        NKey user = NKey.createUser(RANDOM);
        NKey stranger = NKey.createUser(RANDOM);
        String seed = new String(user.getSeed());
        String strangerSeed = new String(stranger.getSeed());
        run("F9c", "nkey", "nkey",
                "authorization { users: [ { nkey: " + new String(user.getPublicKey()) + " } ] }\n",
                Map.of("jetstream.bridge.nats.nkey-seed", seed),
                tlsOptions().authHandler(Nats.staticCredentials(null, seed.toCharArray())),
                Map.of("jetstream.bridge.nats.nkey-seed", strangerSeed), strangerSeed);
    }

    @Test
    void credsFile() throws Exception {
        NKey operator = NKey.createOperator(RANDOM);
        NKey system = NKey.createAccount(RANDOM);
        NKey account = NKey.createAccount(RANDOM);
        NKey user = NKey.createUser(RANDOM);
        String operatorJwt = jwt(operator, operator, "fault-operator",
                "{\"type\":\"operator\",\"version\":2,\"system_account\":\"" + key(system) + "\"}");
        String core = "\"subs\":-1,\"data\":-1,\"payload\":-1,\"imports\":-1,\"exports\":-1,"
                + "\"wildcards\":true,\"conn\":-1,\"leaf\":-1";
        // JetStream for the bridge's account only: the server refuses it on the system account
        String limits = "\"limits\":{" + core + ",\"mem_storage\":-1,\"disk_storage\":-1,\"streams\":-1,"
                + "\"consumer\":-1}";
        String systemJwt = jwt(operator, system, "SYS", "{\"limits\":{" + core
                + "},\"type\":\"account\",\"version\":2}");
        String accountJwt = jwt(operator, account, "BRIDGE", "{" + limits + ",\"type\":\"account\",\"version\":2}");
        Path creds = dir.resolve("bridge.creds");
        String seed = new String(user.getSeed());
        Files.writeString(creds, String.format(JwtUtils.NATS_USER_JWT_FORMAT,
                JwtUtils.issueUserJWT(account, key(account), key(user), "bridge"), seed));
        NKey foreignAccount = NKey.createAccount(RANDOM);
        NKey foreignUser = NKey.createUser(RANDOM);
        Path foreign = dir.resolve("foreign.creds");
        String foreignSeed = new String(foreignUser.getSeed());
        Files.writeString(foreign, String.format(JwtUtils.NATS_USER_JWT_FORMAT,
                JwtUtils.issueUserJWT(foreignAccount, key(foreignAccount), key(foreignUser), "foreign"),
                foreignSeed));
        run("F9d", "creds file (JWT, operator mode)", "creds-file", """
                        operator: %s
                        system_account: %s
                        resolver: MEMORY
                        resolver_preload: {
                          %s: %s
                          %s: %s
                        }
                        """.formatted(operatorJwt, key(system), key(system), systemJwt, key(account), accountJwt),
                Map.of("jetstream.bridge.nats.creds-file", creds.toString()),
                tlsOptions().authHandler(Nats.credentials(creds.toString())),
                Map.of("jetstream.bridge.nats.creds-file", foreign.toString()), foreignSeed);
    }

    private void run(String id, String title, String kind, String serverAuth, Map<String, String> good,
                     Options.Builder monitor, Map<String, String> wrong, String wrongSecret) throws Exception {
        long started = System.currentTimeMillis();
        FaultScale scale = FaultScale.current();
        int orders = scale.orders() / 5;
        NatsServer nats = NatsServer.builder().extraConfig(pki.serverTlsBlock() + serverAuth).start();
        Map<String, String> settings = new LinkedHashMap<>(tls());
        settings.putAll(good);
        try (Pipeline run = Pipeline.builder(id.toLowerCase(), nats.url()).natsSettings(settings)
                .monitorOptions(monitor).start()) {
            run.startConsumer("consumer", Map.of());
            run.startPublisher("publisher", id.toLowerCase(), orders, Map.of());
            Pipeline.Tally tally = run.settle(scale.settle(), orderId -> false);

            Map<String, String> refused = new LinkedHashMap<>(run.publisherSettings(id.toLowerCase(), 0, Map.of()));
            refused.putAll(tls());
            refused.putAll(wrong);
            refused.put("jetstream.bridge.outbox.enabled", "false");
            long before = System.nanoTime();
            Throwable failure = catchThrowable(() -> JtaContainer.builder().withBridgeRuntime()
                    .beanClasses(BridgeEntityManagers.class).config(refused).start().close());
            Duration refusedIn = Duration.ofNanos(System.nanoTime() - before);
            assertThat(failure).as("start with wrong credentials").isNotNull();
            String message = messages(failure);
            assertThat(message).contains("cannot connect 'jetstream-bridge:orders' to " + nats.url())
                    .contains("(authentication: " + kind + ")").contains("Authorization Violation")
                    .doesNotContain("TimeoutException")
                    .doesNotContain(wrongSecret);
            assertThat(refusedIn).as("refused at once, not after retries").isLessThan(Duration.ofSeconds(15));

            String lazy = lazyReadiness(nats, refused, wrongSecret);
            FaultRow row = tally.row(id, "TLS + " + title, "-", "nats-server with TLS required and " + title
                    + " authentication; both applications connect with the truststore and the right credentials, "
                    + orders + " business transactions. Wrong credentials: the start failed in "
                    + Recovery.format(refusedIn) + " with \"" + firstLine(message) + "\"; with lazy connect "
                    + lazy + ".");
            FaultAssertions.recordAndCheck(row, tally, run);
        } finally {
            nats.close();
            ReliabilityReport.duration(id, System.currentTimeMillis() - started);
        }
    }

    /** Lazy connect with wrong credentials: the application starts, readiness is DOWN, every refusal is logged. */
    private static String lazyReadiness(NatsServer nats, Map<String, String> refused, String secret) {
        Map<String, String> lazy = new LinkedHashMap<>(refused);
        lazy.put("jetstream.bridge.nats.lazy-connect", "true");
        List<String> warnings = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                warnings.add(String.valueOf(record.getMessage()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("io.jetstreambridge");
        logger.addHandler(capture);
        try (JtaContainer app = JtaContainer.builder().withBridgeRuntime()
                .beanClasses(BridgeEntityManagers.class, ConsumerRuntime.class, BridgeReadinessCheck.class)
                .config(lazy).start()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> warnings.stream()
                    .filter(w -> w.contains("Authorization Violation")).count() >= 2);
            HealthCheckResponse readiness = app.select(HealthCheck.class, Readiness.Literal.INSTANCE).call();
            assertThat(readiness.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            String data = String.valueOf(readiness.getData().orElse(Map.of()));
            assertThat(data).contains("last error: Authorization Violation").doesNotContain(secret);
            String reason = String.valueOf(readiness.getData().orElseThrow().get("reason"));
            assertThat(String.join("\n", warnings)).doesNotContain(secret);
            List<String> refusals = new ArrayList<>(warnings.stream()
                    .filter(w -> w.contains("Authorization Violation")).toList());
            return "the application started, readiness was DOWN (reason: \"" + reason + "\") and each refused attempt was "
                    + "logged (" + refusals.size() + " so far: \"" + refusals.get(0) + "\")";
        } finally {
            logger.removeHandler(capture);
        }
    }

    private static String messages(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append('\n');
        }
        return text.toString();
    }

    private static String firstLine(String message) {
        for (String line : message.split("\n")) {
            if (line.contains("cannot connect")) {
                return line.replace('|', '/');
            }
        }
        return message.split("\n")[0];
    }

    private static String jwt(NKey issuer, NKey subject, String name, String claim) throws Exception {
        return JwtUtils.issueJWT(issuer, key(subject), name, null, JwtUtils.currentTimeSeconds(), key(issuer),
                () -> claim);
    }

    private static String key(NKey key) throws Exception {
        return new String(key.getPublicKey());
    }
}
