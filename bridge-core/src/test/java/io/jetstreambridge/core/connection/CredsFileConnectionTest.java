package io.jetstreambridge.core.connection;

import static io.jetstreambridge.core.connection.ConnectionTestSupport.assertRoundTrip;
import static io.jetstreambridge.core.connection.ConnectionTestSupport.createKeyDirectory;
import static io.jetstreambridge.core.connection.ConnectionTestSupport.deleteKeyDirectory;
import static io.jetstreambridge.core.connection.ConnectionTestSupport.get;
import static io.jetstreambridge.core.connection.ConnectionTestSupport.ordersConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.testing.NatsServer;
import io.nats.client.Connection;
import io.nats.client.NKey;
import io.nats.client.support.JwtUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * Decentralised (JWT) authentication with a {@code .creds} file against a real nats-server in operator mode.
 *
 * <p>Operator, account and user NKeys are created for every run and their JWTs issued with jnats'
 * {@link JwtUtils}; the server trusts the operator JWT and has the account JWT preloaded in a memory resolver.
 * The account has no JetStream limits, so only core NATS is used here.
 */
class CredsFileConnectionTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String NO_LIMITS = "\"limits\":{\"subs\":-1,\"data\":-1,\"payload\":-1,\"imports\":-1,"
            + "\"exports\":-1,\"wildcards\":true,\"conn\":-1,\"leaf\":-1}";

    private static Path dir;
    private static NatsServer server;
    private static String accountPublicKey;
    private static String userPublicKey;
    private static Path validCreds;
    private static String validSeed;
    private static Path foreignCreds;
    private static String foreignSeed;
    private static Path mismatchedCreds;
    private static String mismatchedSeed;

    @BeforeAll
    static void issueJwtsAndStartAnOperatorModeServer() throws Exception {
        dir = createKeyDirectory("creds-test", "jwt-");

        NKey operator = NKey.createOperator(RANDOM);
        NKey systemAccount = NKey.createAccount(RANDOM);
        NKey account = NKey.createAccount(RANDOM);
        NKey user = NKey.createUser(RANDOM);
        accountPublicKey = publicKey(account);
        userPublicKey = publicKey(user);

        String operatorJwt = jwt(operator, operator, "test-operator",
                "{\"type\":\"operator\",\"version\":2,\"system_account\":\"" + publicKey(systemAccount) + "\"}");
        String systemAccountJwt = accountJwt(operator, systemAccount, "SYS");
        String accountJwt = accountJwt(operator, account, "ORDERS");

        validSeed = new String(user.getSeed());
        validCreds = creds("orders.creds", JwtUtils.issueUserJWT(account, accountPublicKey, userPublicKey, "orders"),
                validSeed);

        // a user of an account this server has never heard of
        NKey otherAccount = NKey.createAccount(RANDOM);
        NKey otherUser = NKey.createUser(RANDOM);
        foreignSeed = new String(otherUser.getSeed());
        foreignCreds = creds("foreign.creds",
                JwtUtils.issueUserJWT(otherAccount, publicKey(otherAccount), publicKey(otherUser), "foreign"),
                foreignSeed);

        // a valid JWT, but the seed of another user: the nonce signature does not match the JWT's subject
        NKey impostor = NKey.createUser(RANDOM);
        mismatchedSeed = new String(impostor.getSeed());
        mismatchedCreds = creds("mismatched.creds",
                JwtUtils.issueUserJWT(account, accountPublicKey, userPublicKey, "orders"), mismatchedSeed);

        server = NatsServer.builder().extraConfig("""
                operator: %s
                system_account: %s
                resolver: MEMORY
                resolver_preload: {
                  %s: %s
                  %s: %s
                }
                """.formatted(operatorJwt, publicKey(systemAccount),
                publicKey(systemAccount), systemAccountJwt, accountPublicKey, accountJwt)).start();
    }

    @AfterAll
    static void stopServerAndDeleteCreds() throws IOException {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            deleteKeyDirectory(dir);
        }
    }

    private static BridgeConfig.Builder config(Path creds) {
        return ordersConfig(server.url()).set(ConfigKey.NATS_CREDS_FILE, creds.toString());
    }

    @Test
    void credsFileConnectsAsTheUserOfTheAccount() throws Exception {
        BridgeConfig config = config(validCreds).build();
        assertThat(config.nats().authenticationKind()).isEqualTo("creds-file");

        try (Connection connection = new NatsConnector(config.nats(), null).connect()) {
            assertThat(connection.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            assertRoundTrip(connection, "7");

            // the server placed the connection in the account, authenticated as the user of the JWT
            assertThat(get(server.monitorUrl() + "/connz?auth=true&acc=" + accountPublicKey))
                    .contains("\"name\": \"jetstream-bridge:orders\"")
                    .contains(userPublicKey);
        }
    }

    @Test
    void userOfAnUnknownAccountIsRefusedWithoutShowingTheSeed() {
        BridgeConfig config = config(foreignCreds).build();

        assertThatThrownBy(() -> new NatsConnector(config.nats(), null).connect())
                .isInstanceOf(ConnectionFailedException.class)
                .hasMessageContaining("cannot connect 'jetstream-bridge:orders' to " + server.url())
                .hasMessageContaining("authentication: creds-file")
                .hasMessageContaining("Authorization Violation")
                .satisfies(e -> assertThat(messagesOf(e)).doesNotContain(foreignSeed));
    }

    @Test
    void seedThatDoesNotMatchTheJwtIsRefusedWithoutShowingIt() {
        BridgeConfig config = config(mismatchedCreds).build();

        assertThatThrownBy(() -> new NatsConnector(config.nats(), null).connect())
                .isInstanceOf(ConnectionFailedException.class)
                .hasMessageContaining("authentication: creds-file")
                .hasMessageContaining("Authorization Violation")
                .satisfies(e -> assertThat(messagesOf(e)).doesNotContain(mismatchedSeed).doesNotContain(validSeed));
    }

    /** The messages of the whole cause chain: a seed must not leak through a wrapped exception either. */
    private static String messagesOf(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t).append('\n');
        }
        return all.toString();
    }

    private static String accountJwt(NKey operator, NKey account, String name) throws Exception {
        return jwt(operator, account, name, "{" + NO_LIMITS + ",\"type\":\"account\",\"version\":2}");
    }

    /** A nats-jwt v2 JWT about {@code subject}, signed by {@code issuer}, with the given {@code nats} claim. */
    private static String jwt(NKey issuer, NKey subject, String name, String natsClaim) throws Exception {
        return JwtUtils.issueJWT(issuer, publicKey(subject), name, null, JwtUtils.currentTimeSeconds(),
                publicKey(issuer), () -> natsClaim);
    }

    private static Path creds(String fileName, String userJwt, String seed) throws Exception {
        Path file = dir.resolve(fileName);
        Files.writeString(file, String.format(JwtUtils.NATS_USER_JWT_FORMAT, userJwt, seed));
        return file;
    }

    private static String publicKey(NKey key) throws Exception {
        return new String(key.getPublicKey());
    }
}
