package io.jetstreambridge.core.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubjectPatternsTest {

    @ParameterizedTest(name = "{0} / {1} overlap: {2}")
    @CsvSource({
            "orders.sync.billing, orders.sync.billing, true",
            "orders.>, orders.sync.billing, true",
            "orders.*.billing, orders.sync.billing, true",
            "*.sync.*, orders.sync.billing, true",
            ">, orders.sync.billing, true",
            "orders.sync, orders.sync.billing, false",
            "orders.sync.billing.x, orders.sync.billing, false",
            "billing.>, orders.sync.billing, false",
            "orders.*, orders.sync.billing, false",
            "orders.*.dlq, orders.sync.billing, false"
    })
    void overlap(String a, String b, boolean expected) {
        assertThat(SubjectPatterns.overlap(a, b)).isEqualTo(expected);
        assertThat(SubjectPatterns.overlap(b, a)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
            "orders.sync.billing, orders.sync.billing, true",
            "orders.>, orders.sync.billing, true",
            "orders.*.billing, orders.sync.billing, true",
            "orders.sync.billing, orders.>, false",
            "orders.*, orders.sync.billing, false",
            "orders.sync.*, orders.sync.>, false",
            "orders.>, orders, false"
    })
    void covers(String pattern, String subject, boolean expected) {
        assertThat(SubjectPatterns.covers(pattern, subject)).isEqualTo(expected);
    }
}
