package io.jetstreambridge.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UserInfoRedactionTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Unable to connect to NATS servers: [nats://user:p%2Fss@127.0.0.1:1] | "
                    + "Unable to connect to NATS servers: [nats://******@127.0.0.1:1]",
            "[nats://a:p/s@s@h1:1, tls://tok@h2:2] | [nats://******@h1:1, tls://******@h2:2]",
            "to nats://h:4222 (last error: x@y) | to nats://h:4222 (last error: x@y)",
            "'nats://u:p@h:1' refused | 'nats://******@h:1' refused",
            "no url here: user@example | no url here: user@example",
            "wss://u:p%40ss@h:443/path | wss://******@h:443/path",
            "nats://u:p@h:1,nats://v:q@k:2 | nats://******@h:1,nats://******@k:2"})
    void freeTextHasTheUserInfoOfEveryUrlMasked(String text, String redacted) {
        assertThat(UserInfoRedaction.redact(text)).isEqualTo(redacted);
    }

    @Test
    void nothingToMaskLeavesTheTextAsItIs() {
        assertThat(UserInfoRedaction.redact(null)).isNull();
        assertThat(UserInfoRedaction.redact("")).isEmpty();
        assertThat(UserInfoRedaction.redact("nats://")).isEqualTo("nats://");
        assertThat(UserInfoRedaction.redact("a :// b")).isEqualTo("a :// b");
    }

    @Test
    void userInfoInAUrlIsTheAuthenticationWhenNoOtherIsSet() {
        assertThat(nats("nats://alice:s3cr%2Fet@h:1").authenticationKind()).isEqualTo("user-password (in the URL)");
        assertThat(nats("nats://h:1,tls://tok@h2:2").authenticationKind()).isEqualTo("token (in the URL)");
        assertThat(nats("nats://h:1").authenticationKind()).isEqualTo("none");
    }

    private static NatsSettings nats(String urls) {
        return Configs.valid().natsUrls(urls).build().nats();
    }
}
