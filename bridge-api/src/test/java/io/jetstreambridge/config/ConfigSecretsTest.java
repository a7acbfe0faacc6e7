package io.jetstreambridge.config;

import static io.jetstreambridge.config.Configs.invalid;
import static io.jetstreambridge.config.Configs.valid;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Passwords, tokens, nkey seeds and store passwords never appear in messages or in {@code toString}. */
class ConfigSecretsTest {

    private static final String PASSWORD = "pw-Zq81-never-log";
    private static final String TOKEN = "tok-Hh27-never-log";
    private static final String BAD_SEED = "SUbad-seed-Kx55-never-log";
    private static final String GOOD_SEED = "SU" + "Q".repeat(56);
    private static final String TRUSTSTORE_PASSWORD = "trust-Lm09-never-log";
    private static final String KEYSTORE_PASSWORD = "key-Pp44-never-log";
    private static final String URL_PASSWORD = "url-Wr63-never-log";

    private static final List<String> SECRETS = List.of(PASSWORD, TOKEN, BAD_SEED, GOOD_SEED, TRUSTSTORE_PASSWORD,
            KEYSTORE_PASSWORD, URL_PASSWORD);

    @Test
    void secretKeysAreMarkedSecret() {
        assertThat(Arrays.stream(ConfigKey.values()).filter(ConfigKey::secret))
                .containsExactlyInAnyOrder(ConfigKey.NATS_PASSWORD, ConfigKey.NATS_TOKEN, ConfigKey.NATS_NKEY_SEED,
                        ConfigKey.NATS_TLS_TRUSTSTORE_PASSWORD, ConfigKey.NATS_TLS_KEYSTORE_PASSWORD);
    }

    @Test
    void secretPrintsAsAsterisks() {
        Secret secret = Secret.of(PASSWORD);

        assertThat(secret.toString()).isEqualTo("******");
        assertThat(secret.reveal()).isEqualTo(PASSWORD);
        assertThat(Secret.of(null)).isNull();
    }

    /** Every secret is set and involved in a problem; none of them may leak into what is reported. */
    @Test
    void exceptionNeverShowsSecrets(@TempDir Path dir) {
        InvalidConfigurationException e = invalid(valid()
                .set(ConfigKey.NATS_USER, "svc")
                .set(ConfigKey.NATS_PASSWORD, PASSWORD)
                .set(ConfigKey.NATS_TOKEN, TOKEN)
                .set(ConfigKey.NATS_NKEY_SEED, BAD_SEED)
                .set(ConfigKey.NATS_TLS_TRUSTSTORE, dir.resolve("missing-trust.p12").toString())
                .set(ConfigKey.NATS_TLS_TRUSTSTORE_PASSWORD, TRUSTSTORE_PASSWORD)
                .set(ConfigKey.NATS_TLS_KEYSTORE, dir.resolve("missing-key.p12").toString())
                .set(ConfigKey.NATS_TLS_KEYSTORE_PASSWORD, KEYSTORE_PASSWORD)
                .set("jetstream.bridge.nats.pasword", PASSWORD)
                .set("jetstream.bridge.nats.tokn", TOKEN));

        assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(5);
        assertNoSecretIn(e.getMessage(), "exception message");
        assertNoSecretIn(String.valueOf(e), "exception toString");
        for (ConfigProblem problem : e.problems()) {
            assertNoSecretIn(problem.toString(), "problem " + problem.key());
            assertNoSecretIn(String.valueOf(problem.value()), "value of " + problem.key());
            assertNoSecretIn(problem.allowed(), "allowed of " + problem.key());
        }
        assertThat(Configs.problemFor(e, ConfigKey.NATS_NKEY_SEED).value()).isEqualTo("******");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nats://svc:" + URL_PASSWORD + "@nats1:4222,http://nats2:4222",
            "http://svc:" + URL_PASSWORD + "@nats1:4222",
            "nats://svc:" + URL_PASSWORD + "@nats 1:4222",
            "svc:" + URL_PASSWORD + "@nats1:0"})
    void credentialsInsideUrlsAreNotShown(String urls) {
        InvalidConfigurationException e = invalid(valid().natsUrls(urls));

        assertNoSecretIn(e.getMessage(), "exception message");
        assertThat(e.getMessage()).contains("jetstream.bridge.nats.urls");
    }

    @Test
    void natsSettingsToStringNeverShowsSecrets(@TempDir Path dir) throws IOException {
        Path truststore = Files.write(dir.resolve("trust.p12"), new byte[] {1});
        Path keystore = Files.write(dir.resolve("key.p12"), new byte[] {2});
        BridgeConfig withPassword = valid()
                .natsUrls("nats://svc:" + URL_PASSWORD + "@nats1:4222,nats://nats2:4222")
                .set(ConfigKey.NATS_USER, "svc")
                .set(ConfigKey.NATS_PASSWORD, PASSWORD)
                .set(ConfigKey.NATS_TLS_TRUSTSTORE, truststore.toString())
                .set(ConfigKey.NATS_TLS_TRUSTSTORE_PASSWORD, TRUSTSTORE_PASSWORD)
                .set(ConfigKey.NATS_TLS_KEYSTORE, keystore.toString())
                .set(ConfigKey.NATS_TLS_KEYSTORE_PASSWORD, KEYSTORE_PASSWORD)
                .build();
        BridgeConfig withToken = valid().set(ConfigKey.NATS_TOKEN, TOKEN).build();
        BridgeConfig withSeed = valid().set(ConfigKey.NATS_NKEY_SEED, GOOD_SEED).build();

        for (BridgeConfig config : List.of(withPassword, withToken, withSeed)) {
            assertNoSecretIn(config.nats().toString(), "NatsSettings.toString()");
            assertNoSecretIn(config.nats().tls().toString(), "TlsSettings.toString()");
            assertNoSecretIn(config.toString(), "BridgeConfig.toString()");
        }
        assertThat(withPassword.nats().toString()).contains("svc").contains("******").contains("nats2:4222");
        assertThat(withPassword.nats().password().reveal()).isEqualTo(PASSWORD);
        assertThat(withPassword.nats().urls()).as("the client still gets the real URL")
                .contains("nats://svc:" + URL_PASSWORD + "@nats1:4222");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "nats://svc:pw@nats1:4222                 | nats://******@nats1:4222",
            "nats://s3cr3t-token@nats1:4222           | nats://******@nats1:4222",
            "svc:pw@nats1:4222                        | ******@nats1:4222",
            "nats://svc:p@ss@nats1:4222               | nats://******@nats1:4222",
            "nats://nats1:4222                        | nats://nats1:4222",
            "ws://nats1:8080/path@x                   | ws://******@x",
            "nats://user:p%2Fss@127.0.0.1:4222        | nats://******@127.0.0.1:4222",
            "nats://user:p/ss@127.0.0.1:4222          | nats://******@127.0.0.1:4222",
            "nats://user:p/s@s@127.0.0.1:4222         | nats://******@127.0.0.1:4222",
            "nats://user:p%2Fs%40s@127.0.0.1:4222     | nats://******@127.0.0.1:4222",
            "user:p/s@s@127.0.0.1:4222,nats://n2:4222 | ******@127.0.0.1:4222,nats://n2:4222",
            "nats://a:b@n1:4222,nats://n2:4222,c@n3:1 | nats://******@n1:4222,nats://n2:4222,******@n3:1"})
    void userInfoInUrlsIsMasked(String urls, String redacted) {
        assertThat(NatsSettings.redactUrls(urls)).isEqualTo(redacted);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nats://user:p/ss@127.0.0.1:4222",
            "nats://user:p/s@s@127.0.0.1:4222"})
    void aUrlTheConfigurationRefusesIsQuotedWithoutItsPassword(String url) {
        assertThat(invalid(valid().natsUrls(url))).hasMessageContaining("nats://******@127.0.0.1:4222")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("p/s").doesNotContain("user:"));
    }

    private static void assertNoSecretIn(String text, String what) {
        for (String secret : SECRETS) {
            assertThat(text).as("%s must not contain a secret", what).doesNotContain(secret);
        }
    }
}
