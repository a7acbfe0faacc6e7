package io.jetstreambridge.cdi.health;

import io.jetstreambridge.core.health.HealthContribution;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.IOException;

/** Health texts never carry a URL's password, whatever characters it holds. */
class HealthContributionRedactionTest {

    @Test
    void reasonsAndDataMaskPasswordsHoldingSlashOrAt() {
        HealthContribution health = HealthContribution.builder()
                .down("cannot connect: [nats://user:p/ss@127.0.0.1:1]")
                .data("last-error", "nats://user:p/s@s@127.0.0.1:1 refused")
                .data("failure", HealthContribution.describe(
                        new IOException("Unable to connect to NATS servers: [nats://user:p%2Fs%40s@127.0.0.1:1]")))
                .build();

        assertThat(health.reasons()).containsExactly("cannot connect: [nats://******@127.0.0.1:1]");
        assertThat(health.data()).containsEntry("last-error", "nats://******@127.0.0.1:1 refused")
                .containsEntry("failure", "IOException: Unable to connect to NATS servers: [nats://******@127.0.0.1:1]");
    }
}
