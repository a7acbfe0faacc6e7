package io.jetstreambridge.core.consume;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetstreambridge.consume.UnrecoverableEventException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

class FailureClassifierTest {

    private final FailureClassifier classifier = new FailureClassifier(4,
            List.of(Duration.ofSeconds(1), Duration.ofSeconds(5)), Set.of(IllegalArgumentException.class.getName()));

    @Test
    void retriesWithTheBackoffStepOfTheDeliveryAndRepeatsTheLastStep() {
        assertThat(classifier.classify(new IllegalStateException(), 1).delay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(classifier.classify(new IllegalStateException(), 2).delay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(classifier.classify(new IllegalStateException(), 3).delay()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void lastAllowedDeliveryIsDeadLettered() {
        FailureClassifier.Decision decision = classifier.classify(new IllegalStateException(), 4);

        assertThat(decision.deadLetters()).isTrue();
        assertThat(decision.reason()).isEqualTo(DeadLetterReason.MAX_DELIVER_EXCEEDED);
    }

    @Test
    void unrecoverableTypesAreFoundInTheCauseChainAndBySupertype() {
        assertThat(classifier.classify(new RuntimeException(new UnrecoverableEventException("x")), 1).reason())
                .isEqualTo(DeadLetterReason.UNRECOVERABLE);
        assertThat(classifier.classify(new NumberFormatException("subtype of IllegalArgumentException"), 1)
                .reason()).isEqualTo(DeadLetterReason.UNRECOVERABLE);
    }

    @Test
    void withoutBackoffTheDelayDoublesUpToFiveMinutes() {
        FailureClassifier plain = new FailureClassifier(100, List.of(), Set.of());

        assertThat(plain.nakDelay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(plain.nakDelay(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(plain.nakDelay(50)).isEqualTo(Duration.ofMinutes(5));
    }
}
