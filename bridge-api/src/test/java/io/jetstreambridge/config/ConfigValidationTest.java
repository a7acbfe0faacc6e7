package io.jetstreambridge.config;

import static io.jetstreambridge.config.Configs.invalid;
import static io.jetstreambridge.config.Configs.onlyProblem;
import static io.jetstreambridge.config.Configs.problemFor;
import static io.jetstreambridge.config.Configs.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.jetstreambridge.topology.NameRules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every validation rule of the configuration. A problem names the full key, the value found and what is allowed;
 * all problems of one pass arrive together in one {@link InvalidConfigurationException}.
 */
class ConfigValidationTest {

    @Nested
    class RequiredNames {

        @Test
        void appNameIsRequired() {
            ConfigProblem problem = onlyProblem(BridgeConfig.builder().destinationApp("billing"), ConfigKey.APP_NAME);

            assertThat(problem.value()).isNull();
            assertThat(problem.allowed()).contains("required").contains(NameRules.TOKEN_ALLOWED);
            assertThat(problem.toString()).startsWith("jetstream.bridge.app-name (not set): is required");
        }

        @Test
        void destinationAppIsRequired() {
            ConfigProblem problem = onlyProblem(BridgeConfig.builder().appName("orders"), ConfigKey.DESTINATION_APP);

            assertThat(problem.value()).isNull();
            assertThat(problem.allowed()).contains("required");
        }

        @Test
        void blankCountsAsMissing() {
            InvalidConfigurationException e = invalid(BridgeConfig.builder().appName(" ").destinationApp(""));

            assertThat(e.problems()).extracting(ConfigProblem::key)
                    .containsExactlyInAnyOrder("jetstream.bridge.app-name", "jetstream.bridge.destination-app");
        }

        @ParameterizedTest
        @ValueSource(strings = {"orders.v2", "ord*", "orders>", "my app", "or\u0007ders"})
        void appNameMustBeOneSubjectToken(String appName) {
            ConfigProblem problem = onlyProblem(valid().appName(appName), ConfigKey.APP_NAME);

            assertThat(problem.value()).isEqualTo(appName);
            assertThat(problem.allowed()).isNotBlank();
        }

        @Test
        void appNameMayHave255CharactersButNot256() {
            assertThatCode(() -> valid().appName("a".repeat(255)).build()).doesNotThrowAnyException();

            ConfigProblem problem = onlyProblem(valid().appName("a".repeat(256)), ConfigKey.APP_NAME);
            assertThat(problem.allowed()).contains("255");
        }

        @ParameterizedTest
        @ValueSource(strings = {"billing.eu", "bill*", "bill>", "bill ing", "bill\u001fing"})
        void destinationMustBeOneSubjectToken(String destination) {
            ConfigProblem problem = onlyProblem(valid().destinationApp(destination), ConfigKey.DESTINATION_APP);

            assertThat(problem.value()).isEqualTo(destination);
        }

        @Test
        void destinationMayHave255CharactersButNot256() {
            assertThatCode(() -> valid().destinationApp("b".repeat(255)).build()).doesNotThrowAnyException();
            onlyProblem(valid().destinationApp("b".repeat(256)), ConfigKey.DESTINATION_APP);
        }

        @Test
        void withTheInboxOnTheConsumeSubjectMustFitTheInboxSubjectColumn() {
            // {destination}.sync.{app}: 100 + 6 + 149 = 255 fits, one more does not
            assertThatCode(() -> valid().appName("a".repeat(149)).destinationApp("b".repeat(100))
                    .set(ConfigKey.INBOX_ENABLED, "true").build()).doesNotThrowAnyException();

            ConfigProblem problem = onlyProblem(valid().appName("a".repeat(150)).destinationApp("b".repeat(100))
                    .set(ConfigKey.INBOX_ENABLED, "true"), ConfigKey.INBOX_ENABLED);

            assertThat(problem.value()).isEqualTo("true");
            assertThat(problem.allowed()).contains("256 characters").contains("255")
                    .contains("app-name").contains("destination-app");
            assertThatCode(() -> valid().appName("a".repeat(150)).destinationApp("b".repeat(100)).build())
                    .as("without the inbox").doesNotThrowAnyException();
        }

        @Test
        void destinationMayNotBeDlq() {
            ConfigProblem problem = onlyProblem(valid().destinationApp("dlq"), ConfigKey.DESTINATION_APP);

            assertThat(problem.value()).isEqualTo("dlq");
            assertThat(problem.allowed()).contains("reserved").contains("dead-letter");
        }

        @Test
        void appAndDestinationMustDiffer() {
            ConfigProblem problem = onlyProblem(valid().destinationApp("orders"), ConfigKey.DESTINATION_APP);

            assertThat(problem.value()).isEqualTo("orders");
            assertThat(problem.allowed()).contains("must differ from jetstream.bridge.app-name");
        }

        @ParameterizedTest
        @ValueSource(strings = {"my.stream", "my stream", "my*stream", "my>stream", "my/stream", "my\\stream"})
        void streamNameFollowsJetStreamRules(String name) {
            ConfigProblem problem = onlyProblem(valid().set(ConfigKey.STREAM_NAME, name), ConfigKey.STREAM_NAME);

            assertThat(problem.value()).isEqualTo(name);
            assertThat(problem.allowed()).contains("stream names allow no");
        }

        @Test
        void streamNameLength() {
            assertThatCode(() -> valid().set(ConfigKey.STREAM_NAME, "s".repeat(255)).build())
                    .doesNotThrowAnyException();
            onlyProblem(valid().set(ConfigKey.STREAM_NAME, "s".repeat(256)), ConfigKey.STREAM_NAME);
        }
    }

    @Nested
    class NatsUrls {

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "http://nats.example.com:4222    | has scheme http; allowed: nats, tls, opentls, ws, wss",
                "nats://:4222                    | has no host",
                "nats://nats.example.com:0       | has port 0; allowed 1 to 65535",
                "nats://nats.example.com:70000   | has port 70000; allowed 1 to 65535",
                "nats://nats.example.com:port    | has no host",
                "nats://nats example.com:4222    | is not a URL"})
        void rejectsBadUrls(String url, String why) {
            ConfigProblem problem = onlyProblem(valid().natsUrls(url), ConfigKey.NATS_URLS);

            assertThat(problem.value()).isEqualTo(url);
            assertThat(problem.allowed()).contains("'" + url + "'").contains(why);
        }

        @Test
        void oneBadUrlAmongGoodOnesIsReportedWithTheWholeList() {
            String urls = "nats://n1:4222,ftp://n2:4222,nats://n3:4222";
            ConfigProblem problem = onlyProblem(valid().natsUrls(urls), ConfigKey.NATS_URLS);

            assertThat(problem.value()).isEqualTo(urls);
            assertThat(problem.allowed()).contains("'ftp://n2:4222'");
        }

        @ParameterizedTest
        @ValueSource(strings = {",", " , ,"})
        void needsAtLeastOneUrl(String urls) {
            ConfigProblem problem = onlyProblem(valid().natsUrls(urls), ConfigKey.NATS_URLS);

            assertThat(problem.allowed()).contains("at least one server");
        }

        @ParameterizedTest
        @ValueSource(strings = {"nats://nats.example.com:4222", "tls://nats.example.com:4222",
                "ws://nats.example.com:8080", "wss://nats.example.com:443", "NATS://nats.example.com:4222",
                "nats.example.com:4222", "nats://nats.example.com", "nats://[::1]:4222", "nats://10.0.0.1:65535",
                "nats://n1:4222, nats://n2:4222 ,nats://n3:4222"})
        void acceptsUsualUrls(String urls) {
            assertThatCode(() -> valid().natsUrls(urls).build()).doesNotThrowAnyException();
        }

        @Test
        void listIsSplitAndTrimmed() {
            assertThat(valid().natsUrls(" nats://n1:4222 , nats://n2:4222,").build().nats().urls())
                    .containsExactly("nats://n1:4222", "nats://n2:4222");
        }
    }

    @Nested
    class Booleans {

        @ParameterizedTest
        @EnumSource(value = ConfigKey.class, names = {"AUTO_PROVISION", "DLQ_ENABLED", "NATS_TLS_ENABLED",
                "NATS_LAZY_CONNECT", "CONSUMER_ENABLED"})
        void onlyTrueOrFalse(ConfigKey key) {
            for (String bad : List.of("yes", "1", "on", "maybe")) {
                ConfigProblem problem = onlyProblem(valid().set(key, bad), key);

                assertThat(problem.value()).isEqualTo(bad);
                assertThat(problem.allowed()).isEqualTo("allowed: true or false");
            }
        }

        @ParameterizedTest
        @EnumSource(value = ConfigKey.class, names = {"AUTO_PROVISION", "DLQ_ENABLED", "NATS_TLS_ENABLED",
                "NATS_LAZY_CONNECT", "CONSUMER_ENABLED"})
        void trueAndFalseInAnyCase(ConfigKey key) {
            for (String value : List.of("true", "TRUE", "False", "false")) {
                BridgeConfig config = valid().set(key, value).build();

                assertThat(Configs.read(config, key)).as("%s = %s", key.fullName(), value)
                        .isEqualTo(Boolean.parseBoolean(value));
            }
        }
    }

    @Nested
    class Integers {

        @ParameterizedTest(name = "{0}: {1} rejected, {2} and {3} accepted")
        @CsvSource(delimiter = '|', value = {
                "STREAM_REPLICAS       | 0,6,-1,three,1.5 | 1  | 5     | a whole number from 1 to 5",
                "CONSUMER_BATCH_SIZE   | 0,10001          | 1  | 10000 | a whole number from 1 to 10000",
                "CONSUMER_MAX_DELIVER  | 0,-5,10001       | 5  | 10000 | a whole number from 1 to 10000",
                "CONSUMER_CONCURRENCY  | 0,65             | 1  | 64    | a whole number from 1 to 64",
                "PUBLISH_MAX_ATTEMPTS  | 0,101            | 1  | 100   | a whole number from 1 to 100",
                "PUBLISH_ASYNC_WINDOW  | 0,65537          | 1  | 65536 | a whole number from 1 to 65536",
                "NATS_MAX_RECONNECTS   | -2,x,99999999999 | -1 | 2147483647 | a whole number, at least -1"})
        void range(ConfigKey key, String badValues, String lowest, String highest, String allowed) {
            for (String bad : badValues.split(",")) {
                ConfigProblem problem = onlyProblem(valid().set(key, bad), key);

                assertThat(problem.value()).isEqualTo(bad);
                assertThat(problem.allowed()).isEqualTo(allowed);
            }
            for (String good : List.of(lowest, highest)) {
                // a long duplicate window, so that 100 publish attempts are allowed too
                BridgeConfig config = valid().set(ConfigKey.STREAM_DUPLICATE_WINDOW, "1d").set(key, good).build();

                assertThat(Configs.read(config, key)).as("%s = %s", key.fullName(), good)
                        .isEqualTo(Integer.valueOf(good));
            }
        }
    }

    @Nested
    class DurationValues {

        @ParameterizedTest
        @EnumSource(value = ConfigKey.class, names = {"NATS_CONNECT_TIMEOUT", "NATS_RECONNECT_WAIT",
                "NATS_PING_INTERVAL", "STREAM_DUPLICATE_WINDOW", "CONSUMER_FETCH_TIMEOUT", "CONSUMER_ACK_WAIT",
                "PUBLISH_ACK_TIMEOUT", "PUBLISH_RETRY_BACKOFF"})
        void mustBeDurations(ConfigKey key) {
            for (String bad : List.of("soon", "-1s", "5 minutes", "1x")) {
                ConfigProblem problem = onlyProblem(valid().set(key, bad), key);

                assertThat(problem.value()).isEqualTo(bad);
                assertThat(problem.allowed()).isEqualTo("allowed: " + Durations.ALLOWED);
            }
        }

        @ParameterizedTest
        @EnumSource(value = ConfigKey.class, names = {"NATS_CONNECT_TIMEOUT", "NATS_PING_INTERVAL",
                "STREAM_DUPLICATE_WINDOW", "CONSUMER_FETCH_TIMEOUT", "CONSUMER_ACK_WAIT", "PUBLISH_ACK_TIMEOUT",
                "PUBLISH_RETRY_BACKOFF"})
        void mustBeLongerThanZero(ConfigKey key) {
            ConfigProblem problem = onlyProblem(valid().set(key, "0s"), key);

            assertThat(problem.value()).isEqualTo("0s");
            assertThat(problem.allowed()).isEqualTo("must be longer than zero");
        }

        @Test
        void reconnectWaitMayBeZero() {
            assertThat(valid().set(ConfigKey.NATS_RECONNECT_WAIT, "0").build().nats().reconnectWait()).isZero();
        }

        @Test
        void fetchTimeoutIsAtMostFiveMinutes() {
            assertThat(valid().set(ConfigKey.CONSUMER_FETCH_TIMEOUT, "5m").build().consumer().fetchTimeout())
                    .isEqualTo(Duration.ofMinutes(5));

            ConfigProblem problem = onlyProblem(valid().set(ConfigKey.CONSUMER_FETCH_TIMEOUT, "301s"),
                    ConfigKey.CONSUMER_FETCH_TIMEOUT);
            assertThat(problem.value()).isEqualTo("301s");
            assertThat(problem.allowed()).contains("at most 5m");
        }

        @Test
        void valuesUseTheContractsSyntax() {
            BridgeConfig config = valid().set(ConfigKey.CONSUMER_ACK_WAIT, "1.5 M")
                    .set(ConfigKey.PUBLISH_ACK_TIMEOUT, "2500").set(ConfigKey.NATS_PING_INTERVAL, "45").build();

            assertThat(config.consumer().ackWait()).isEqualTo(Duration.ofSeconds(90));
            assertThat(config.publish().ackTimeout()).isEqualTo(Duration.ofMillis(2500));
            assertThat(config.nats().pingInterval()).isEqualTo(Duration.ofSeconds(45));
        }
    }

    @Nested
    class Choices {

        @Test
        void preset() {
            ConfigProblem problem = onlyProblem(valid().set(ConfigKey.PRESET, "prod"), ConfigKey.PRESET);

            assertThat(problem.value()).isEqualTo("prod");
            assertThat(problem.allowed()).isEqualTo("allowed: " + Preset.allowedNames());
        }

        @Test
        void storage() {
            ConfigProblem problem = onlyProblem(valid().set(ConfigKey.STREAM_STORAGE, "disk"),
                    ConfigKey.STREAM_STORAGE);

            assertThat(problem.value()).isEqualTo("disk");
            assertThat(problem.allowed()).isEqualTo("allowed: file, memory");
        }

        @Test
        void consumerMode() {
            ConfigProblem problem = onlyProblem(valid().set(ConfigKey.CONSUMER_MODE, "poll"),
                    ConfigKey.CONSUMER_MODE);

            assertThat(problem.value()).isEqualTo("poll");
            assertThat(problem.allowed()).isEqualTo("allowed: pull, push");
        }
    }

    @Nested
    class Backoff {

        /** The Ruby gem's defaults (five steps, max_deliver 5) are refused by the server: caught at start-up. */
        @Test
        void asManyStepsAsMaxDeliverAreRejectedNamingBothKeys() {
            ConfigProblem problem = onlyProblem(valid().set(ConfigKey.CONSUMER_MAX_DELIVER, "5")
                    .set(ConfigKey.CONSUMER_BACKOFF, "1s,5s,15s,30s,60s"), ConfigKey.CONSUMER_BACKOFF);

            assertThat(problem.key()).isEqualTo("jetstream.bridge.consumer.backoff");
            assertThat(problem.value()).isEqualTo("1s,5s,15s,30s,60s");
            assertThat(problem.allowed()).contains("jetstream.bridge.consumer.max-deliver")
                    .contains("5 steps").contains("is 5").contains("at most 4");
        }

        /**
         * The server gets max-deliver + 5 (StreamProvisioner.SPARE_DELIVERIES), so it would take the list: the rule
         * holds because the bridge dead-letters at delivery max-deliver, and the message says so.
         */
        @Test
        void theProblemGivesTheBridgesReasonNotTheServersOldOne() {
            ConfigProblem problem = onlyProblem(valid().set(ConfigKey.CONSUMER_MAX_DELIVER, "5")
                    .set(ConfigKey.CONSUMER_BACKOFF, "1s,5s,15s,30s,60s"), ConfigKey.CONSUMER_BACKOFF);

            assertThat(problem.allowed()).doesNotContain("NATS requires")
                    .contains("dead-letters at delivery 5", "never used");
        }

        @Test
        void oneStepFewerThanMaxDeliverIsAccepted() {
            BridgeConfig config = valid().set(ConfigKey.CONSUMER_MAX_DELIVER, "5")
                    .set(ConfigKey.CONSUMER_BACKOFF, "1s,5s,15s,30s").build();

            assertThat(config.consumer().backoff()).hasSize(4);
        }

        @Test
        void moreStepsThanMaxDeliverAreRejected() {
            onlyProblem(valid().set(ConfigKey.CONSUMER_MAX_DELIVER, "2"), ConfigKey.CONSUMER_BACKOFF);
        }

        @Test
        void lowerMaxDeliverThanAPresetsBackoffIsRejected() {
            ConfigProblem problem = onlyProblem(valid().preset(Preset.MAXIMUM_RELIABILITY)
                    .set(ConfigKey.CONSUMER_MAX_DELIVER, "7"), ConfigKey.CONSUMER_BACKOFF);

            assertThat(problem.value()).isEqualTo("1s,5s,15s,30s,1m,2m,5m");
        }

        @Test
        void anInvalidMaxDeliverIsReportedAloneNotAsABackoffProblemToo() {
            ConfigProblem problem = onlyProblem(valid().set(ConfigKey.CONSUMER_MAX_DELIVER, "0"),
                    ConfigKey.CONSUMER_MAX_DELIVER);

            assertThat(problem.value()).isEqualTo("0");
            onlyProblem(valid().set(ConfigKey.CONSUMER_MAX_DELIVER, "many"), ConfigKey.CONSUMER_MAX_DELIVER);
        }

        @Test
        void badStepIsReportedWithTheWholeValue() {
            ConfigProblem problem = onlyProblem(valid().set(ConfigKey.CONSUMER_BACKOFF, "1s,soon,5s"),
                    ConfigKey.CONSUMER_BACKOFF);

            assertThat(problem.value()).isEqualTo("1s,soon,5s");
            assertThat(problem.allowed()).contains("'soon'").contains("comma-separated");
        }

        @Test
        void zeroStepIsRejected() {
            ConfigProblem problem = onlyProblem(valid().set(ConfigKey.CONSUMER_BACKOFF, "1s,0s"),
                    ConfigKey.CONSUMER_BACKOFF);

            assertThat(problem.allowed()).contains("'0s'").contains("longer than zero");
        }

        /**
         * With a backoff list the server redelivers after the first step, so in-progress acks (at most every 100 ms)
         * must beat the shortest step: the TEST preset's old 100 ms step could not, and a slow observer's message
         * was redelivered to another worker meanwhile.
         */
        @Test
        void aStepShorterThanTheKeepAliveCanBeatIsRejected() {
            ConfigProblem problem = onlyProblem(valid().set(ConfigKey.CONSUMER_BACKOFF, "100ms,500ms"),
                    ConfigKey.CONSUMER_BACKOFF);

            assertThat(problem.value()).isEqualTo("100ms,500ms");
            assertThat(problem.allowed()).contains("'100ms'").contains("at least 200ms");
            assertThat(valid().set(ConfigKey.CONSUMER_BACKOFF, "200ms,500ms").build().consumer().backoff())
                    .hasSize(2);
        }

        @Test
        void withoutBackoffTheAckWaitMustBeWhatTheKeepAliveCanBeat() {
            ConfigProblem problem = onlyProblem(valid().set(ConfigKey.CONSUMER_BACKOFF, "none")
                    .set(ConfigKey.CONSUMER_ACK_WAIT, "150ms"), ConfigKey.CONSUMER_ACK_WAIT);

            assertThat(problem.allowed()).contains("at least 200ms");
        }

        @ParameterizedTest
        @ValueSource(strings = {"none", "NONE", " None "})
        void noneMeansNoBackoff(String none) {
            assertThat(valid().set(ConfigKey.CONSUMER_BACKOFF, none).build().consumer().backoff()).isEmpty();
        }

        /** An empty value is "not set" in MicroProfile Config, so it means the default, not "no backoff". */
        @Test
        void emptyMeansTheDefaultNotNone() {
            assertThat(valid().set(ConfigKey.CONSUMER_BACKOFF, "").build().consumer().backoff()).hasSize(4);
            assertThat(ConfigKey.CONSUMER_BACKOFF.description()).contains("'none' means no backoff");
        }

        @Test
        void noneAllowsMaxDeliverOne() {
            BridgeConfig config = valid().set(ConfigKey.CONSUMER_MAX_DELIVER, "1")
                    .set(ConfigKey.CONSUMER_BACKOFF, "none").build();

            assertThat(config.consumer().maxDeliver()).isEqualTo(1);
        }

        @Test
        void stepsUseTheDurationSyntax() {
            assertThat(valid().set(ConfigKey.CONSUMER_BACKOFF, " 500ms, 2 s,1.5m ").build().consumer().backoff())
                    .containsExactly(Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(90));
        }
    }

    @Nested
    class DuplicateWindow {

        @Test
        void notLongerThanTheDefaultPublishRetrySpanIsRejected() {
            // 5 attempts of 5 s plus waits of 250 ms, 500 ms, 1 s, 2 s = 28.75 s
            ConfigProblem problem = onlyProblem(valid().set(ConfigKey.STREAM_DUPLICATE_WINDOW, "28750ms"),
                    ConfigKey.STREAM_DUPLICATE_WINDOW);

            assertThat(problem.value()).isEqualTo("28750ms");
            assertThat(problem.allowed()).contains("28750ms").contains("publish.ack-timeout")
                    .contains("publish.max-attempts").contains("publish.retry-backoff");
        }

        @Test
        void longerThanTheSpanIsAccepted() {
            assertThat(valid().set(ConfigKey.STREAM_DUPLICATE_WINDOW, "28751ms").build().stream().duplicateWindow())
                    .isEqualTo(Duration.ofMillis(28_751));
        }

        @Test
        void morePublishAttemptsCanOutgrowTheDefaultWindow() {
            ConfigProblem problem = onlyProblem(valid().set(ConfigKey.PUBLISH_MAX_ATTEMPTS, "30"),
                    ConfigKey.STREAM_DUPLICATE_WINDOW);

            assertThat(problem.value()).isEqualTo("2m");
        }

        @Test
        void longerAckTimeoutCanOutgrowTheDefaultWindow() {
            onlyProblem(valid().set(ConfigKey.PUBLISH_ACK_TIMEOUT, "30s"), ConfigKey.STREAM_DUPLICATE_WINDOW);
        }

        @Test
        void anInvalidPublishSettingIsNotAlsoReportedAsAWindowProblem() {
            onlyProblem(valid().set(ConfigKey.PUBLISH_ACK_TIMEOUT, "soon"), ConfigKey.PUBLISH_ACK_TIMEOUT);
            onlyProblem(valid().set(ConfigKey.PUBLISH_MAX_ATTEMPTS, "0")
                    .set(ConfigKey.STREAM_DUPLICATE_WINDOW, "5s"), ConfigKey.PUBLISH_MAX_ATTEMPTS);
        }

        @Test
        void retryWaitsDoubleUpToFiveSeconds() {
            PublishSettings publish = new PublishSettings(Duration.ofSeconds(1), 6, Duration.ofSeconds(2), 1);

            assertThat(publish.retryWait(1)).isEqualTo(Duration.ofSeconds(2));
            assertThat(publish.retryWait(2)).isEqualTo(Duration.ofSeconds(4));
            assertThat(publish.retryWait(3)).isEqualTo(Duration.ofSeconds(5));
            assertThat(publish.retryWait(40)).isEqualTo(PublishSettings.MAX_RETRY_WAIT);
            assertThat(publish.worstCaseSpan()).isEqualTo(Duration.ofSeconds(6 + 2 + 4 + 5 + 5 + 5));
        }
    }

    @Nested
    class Authentication {

        private static final String SEED = "SU" + "A".repeat(56);

        @Test
        void userAndPassword() {
            BridgeConfig config = valid().set(ConfigKey.NATS_USER, "svc").set(ConfigKey.NATS_PASSWORD, "pw").build();

            assertThat(config.nats().authenticationKind()).isEqualTo("user-password");
            assertThat(config.nats().password().reveal()).isEqualTo("pw");
        }

        @Test
        void token() {
            BridgeConfig config = valid().set(ConfigKey.NATS_TOKEN, "tok").build();

            assertThat(config.nats().authenticationKind()).isEqualTo("token");
        }

        @Test
        void nkeySeed() {
            BridgeConfig config = valid().set(ConfigKey.NATS_NKEY_SEED, SEED).build();

            assertThat(config.nats().authenticationKind()).isEqualTo("nkey");
            assertThat(config.nats().nkeySeed().reveal()).isEqualTo(SEED);
        }

        @Test
        void credsFile(@TempDir Path dir) throws IOException {
            Path creds = Files.writeString(dir.resolve("app.creds"), "-----BEGIN NATS USER JWT-----");

            BridgeConfig config = valid().set(ConfigKey.NATS_CREDS_FILE, creds.toString()).build();

            assertThat(config.nats().authenticationKind()).isEqualTo("creds-file");
            assertThat(config.nats().credsFile()).isEqualTo(creds);
        }

        @Test
        void userWithoutPassword() {
            ConfigProblem problem = onlyProblem(valid().set(ConfigKey.NATS_USER, "svc"), ConfigKey.NATS_PASSWORD);

            assertThat(problem.value()).isNull();
            assertThat(problem.allowed()).contains("required when jetstream.bridge.nats.user is set");
        }

        @Test
        void passwordWithoutUser() {
            ConfigProblem problem = onlyProblem(valid().set(ConfigKey.NATS_PASSWORD, "pw"), ConfigKey.NATS_USER);

            assertThat(problem.value()).isNull();
            assertThat(problem.allowed()).contains("required when jetstream.bridge.nats.password is set");
        }

        @ParameterizedTest
        @CsvSource({
                "NATS_TOKEN,      NATS_NKEY_SEED",
                "NATS_TOKEN,      NATS_CREDS_FILE",
                "NATS_NKEY_SEED,  NATS_CREDS_FILE"})
        void twoKindsAtOnce(ConfigKey first, ConfigKey second, @TempDir Path dir) throws IOException {
            Path creds = Files.writeString(dir.resolve("app.creds"), "creds");
            BridgeConfig.Builder builder = valid();
            for (ConfigKey key : List.of(first, second)) {
                builder.set(key, switch (key) {
                    case NATS_NKEY_SEED -> SEED;
                    case NATS_CREDS_FILE -> creds.toString();
                    default -> "tok";
                });
            }

            InvalidConfigurationException e = invalid(builder);

            assertThat(e.problems()).hasSize(1);
            assertThat(e.problems().get(0).allowed()).contains("choose one authentication kind")
                    .contains(first.fullName()).contains(second.fullName());
        }

        @Test
        void userPasswordAndToken() {
            InvalidConfigurationException e = invalid(valid().set(ConfigKey.NATS_USER, "svc")
                    .set(ConfigKey.NATS_PASSWORD, "pw").set(ConfigKey.NATS_TOKEN, "tok"));

            assertThat(e.problems()).hasSize(1);
            assertThat(e.problems().get(0).allowed()).contains("choose one authentication kind")
                    .contains("user/password").contains("jetstream.bridge.nats.token");
        }

        @ParameterizedTest
        @ValueSource(strings = {"SUABC", "SA" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "UD" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "not-a-seed"})
        void badNkeySeed(String seed) {
            ConfigProblem problem = onlyProblem(valid().set(ConfigKey.NATS_NKEY_SEED, seed),
                    ConfigKey.NATS_NKEY_SEED);

            assertThat(problem.value()).isEqualTo("******");
            assertThat(problem.allowed()).contains("58 characters starting with SU");
        }
    }

    @Nested
    class FilesMustBeReadable {

        @ParameterizedTest
        @EnumSource(value = ConfigKey.class, names = {"NATS_CREDS_FILE", "NATS_TLS_TRUSTSTORE", "NATS_TLS_KEYSTORE"})
        void missingFileIsRejected(ConfigKey key, @TempDir Path dir) {
            String missing = dir.resolve("missing.p12").toString();

            ConfigProblem problem = onlyProblem(valid().set(key, missing), key);

            assertThat(problem.value()).isEqualTo(missing);
            assertThat(problem.allowed()).contains("must be a readable file");
        }

        @ParameterizedTest
        @EnumSource(value = ConfigKey.class, names = {"NATS_CREDS_FILE", "NATS_TLS_TRUSTSTORE", "NATS_TLS_KEYSTORE"})
        void directoryIsRejected(ConfigKey key, @TempDir Path dir) {
            onlyProblem(valid().set(key, dir.toString()), key);
        }

        @Test
        void existingStoresAreAccepted(@TempDir Path dir) throws IOException {
            Path truststore = Files.write(dir.resolve("trust.p12"), new byte[] {1, 2, 3});
            Path keystore = Files.write(dir.resolve("client.p12"), new byte[] {4, 5, 6});

            BridgeConfig config = valid().set(ConfigKey.NATS_TLS_ENABLED, "true")
                    .set(ConfigKey.NATS_TLS_TRUSTSTORE, truststore.toString())
                    .set(ConfigKey.NATS_TLS_TRUSTSTORE_PASSWORD, "changeit")
                    .set(ConfigKey.NATS_TLS_KEYSTORE, keystore.toString())
                    .set(ConfigKey.NATS_TLS_KEYSTORE_PASSWORD, "secret").build();

            assertThat(config.nats().tls().enabled()).isTrue();
            assertThat(config.nats().tls().truststore()).isEqualTo(truststore);
            assertThat(config.nats().tls().keystore()).isEqualTo(keystore);
            assertThat(config.nats().tls().truststorePassword().reveal()).isEqualTo("changeit");
        }
    }

    @Nested
    class PushSettings {

        @ParameterizedTest
        @ValueSource(strings = {"deliver.*", "deliver.>", "deliver orders", ".deliver", "deliver.", "deliver..orders"})
        void deliverSubjectMustBeAPlainSubject(String subject) {
            ConfigProblem problem = onlyProblem(valid().set(ConfigKey.CONSUMER_DELIVER_SUBJECT, subject),
                    ConfigKey.CONSUMER_DELIVER_SUBJECT);

            assertThat(problem.value()).isEqualTo(subject.trim());
        }

        @ParameterizedTest
        @ValueSource(strings = {"order.pool", "pool*", "order pool"})
        void queueGroupMustBeAToken(String group) {
            ConfigProblem problem = onlyProblem(valid().set(ConfigKey.CONSUMER_QUEUE_GROUP, group),
                    ConfigKey.CONSUMER_QUEUE_GROUP);

            assertThat(problem.value()).isEqualTo(group);
        }
    }

    @Nested
    class UnknownKeys {

        @ParameterizedTest
        @CsvSource({
                "jetstream.bridge.consumer.max-delivery, jetstream.bridge.consumer.max-deliver",
                "jetstream.bridge.appname,               jetstream.bridge.app-name",
                "jetstream.bridge.nats.url,              jetstream.bridge.nats.urls",
                "jetstream.bridge.stream.replica,        jetstream.bridge.stream.replicas",
                "jetstream.bridge.dlq.enable,            jetstream.bridge.dlq.enabled"})
        void misspeltKeyGetsADidYouMeanHint(String misspelt, String meant) {
            InvalidConfigurationException e = invalid(valid().set(misspelt, "5"));

            assertThat(e.problems()).hasSize(1);
            ConfigProblem problem = problemFor(e, misspelt);
            assertThat(problem.allowed()).isEqualTo("unknown key; did you mean " + meant + "?");
        }

        @Test
        void unrelatedKeyPointsToTheReference() {
            ConfigProblem problem = problemFor(invalid(valid().set("jetstream.bridge.completely.different", "x")),
                    "jetstream.bridge.completely.different");

            assertThat(problem.allowed()).contains("unknown key").contains("docs/configuration.md");
        }

        @Test
        void everyUnknownKeyIsReported() {
            InvalidConfigurationException e = invalid(valid().set("jetstream.bridge.foo", "1")
                    .set("jetstream.bridge.consumer.batchsize", "2"));

            assertThat(e.problems()).extracting(ConfigProblem::key)
                    .containsExactlyInAnyOrder("jetstream.bridge.foo", "jetstream.bridge.consumer.batchsize");
        }

        @Test
        void theDottedNameAnEnvironmentVariableIsListedUnderIsKnownWhenTheKeyHasItsValue() {
            // JETSTREAM_BRIDGE_CONSUMER_MAX_DELIVER: SmallRye lists it as ...max.deliver and resolves ...max-deliver
            assertThatCode(() -> valid().set("jetstream.bridge.consumer.max.deliver", "8")
                    .set(ConfigKey.CONSUMER_MAX_DELIVER, "8").build()).doesNotThrowAnyException();
        }

        @Test
        void theDottedSpellingAloneIsStillReported() {
            ConfigProblem problem = problemFor(invalid(valid().set("jetstream.bridge.consumer.max.deliver", "8")),
                    "jetstream.bridge.consumer.max.deliver");

            assertThat(problem.allowed()).isEqualTo("unknown key; did you mean jetstream.bridge.consumer.max-deliver?");
        }

        @Test
        void keysOutsideThePrefixAreNotChecked() {
            assertThatCode(() -> valid().set("jetstream.bridgex.foo", "1").set("mp.messaging.x", "2")
                    .set("NATS_URL", "nats://n:4222").build()).doesNotThrowAnyException();
        }
    }

    @Nested
    class ManyProblemsAtOnce {

        @Test
        void allAppearInOneExceptionEachWithKeyValueAndWhatIsAllowed() {
            BridgeConfig.Builder builder = BridgeConfig.builder()
                    .appName("orders.v2")
                    .destinationApp("dlq")
                    .set(ConfigKey.STREAM_NAME, "my stream")
                    .natsUrls("http://nats:4222")
                    .set(ConfigKey.AUTO_PROVISION, "maybe")
                    .set(ConfigKey.STREAM_REPLICAS, "7")
                    .set(ConfigKey.STREAM_STORAGE, "disk")
                    .set(ConfigKey.CONSUMER_MODE, "poll")
                    .set(ConfigKey.CONSUMER_ACK_WAIT, "soon")
                    .set(ConfigKey.CONSUMER_MAX_DELIVER, "5")
                    .set(ConfigKey.CONSUMER_BACKOFF, "1s,5s,15s,30s,60s")
                    .set(ConfigKey.PUBLISH_MAX_ATTEMPTS, "0")
                    .set(ConfigKey.NATS_USER, "svc")
                    .set("jetstream.bridge.consumer.max-delivery", "6");

            InvalidConfigurationException e = invalid(builder);

            String[][] expected = {
                    {"jetstream.bridge.app-name", "orders.v2", "contains '.'"},
                    {"jetstream.bridge.destination-app", "dlq", "reserved"},
                    {"jetstream.bridge.stream-name", "my stream", "stream names allow no"},
                    {"jetstream.bridge.nats.urls", "http://nats:4222", "allowed: nats, tls, opentls, ws, wss"},
                    {"jetstream.bridge.auto-provision", "maybe", "allowed: true or false"},
                    {"jetstream.bridge.stream.replicas", "7", "a whole number from 1 to 5"},
                    {"jetstream.bridge.stream.storage", "disk", "allowed: file, memory"},
                    {"jetstream.bridge.consumer.mode", "poll", "allowed: pull, push"},
                    {"jetstream.bridge.consumer.ack-wait", "soon", "allowed: a duration such as 30s"},
                    {"jetstream.bridge.consumer.backoff", "1s,5s,15s,30s,60s",
                            "jetstream.bridge.consumer.max-deliver is 5"},
                    {"jetstream.bridge.publish.max-attempts", "0", "a whole number from 1 to 100"},
                    {"jetstream.bridge.nats.password", null, "required when jetstream.bridge.nats.user is set"},
                    {"jetstream.bridge.consumer.max-delivery", null,
                            "did you mean jetstream.bridge.consumer.max-deliver?"}};

            assertThat(e.problems()).extracting(ConfigProblem::key)
                    .containsExactlyInAnyOrder(java.util.Arrays.stream(expected).map(row -> row[0])
                            .toArray(String[]::new));
            for (String[] row : expected) {
                ConfigProblem problem = problemFor(e, row[0]);
                assertThat(problem.value()).as("value of %s", row[0]).isEqualTo(row[1]);
                assertThat(problem.allowed()).as("what %s allows", row[0]).contains(row[2]);
                assertThat(e.getMessage()).contains(row[0]).contains(row[2]);
                if (row[1] != null) {
                    assertThat(e.getMessage()).contains(row[0] + " = '" + row[1] + "'");
                }
            }
            assertThat(e.getMessage())
                    .startsWith("JetStream Bridge configuration is invalid (" + expected.length + " problems):");
        }

        @Test
        void oneProblemIsCountedInTheSingular() {
            InvalidConfigurationException e = invalid(valid().set(ConfigKey.STREAM_REPLICAS, "9"));

            assertThat(e.getMessage()).isEqualTo("JetStream Bridge configuration is invalid (1 problem):\n"
                    + "  - jetstream.bridge.stream.replicas = '9': a whole number from 1 to 5");
        }

        @Test
        void problemsCannotBeModified() {
            InvalidConfigurationException e = invalid(valid().set(ConfigKey.STREAM_REPLICAS, "9"));

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> e.problems().clear())
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }
}
