package io.jetstreambridge.cdi.health;

import io.jetstreambridge.core.health.HealthContribution;
import io.jetstreambridge.core.health.HealthContributor;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/** A contributor as another module (the outbox) would write one, switched DOWN by the test. */
@ApplicationScoped
class SwitchableContributor implements HealthContributor {

    private volatile boolean down;

    void down(boolean down) {
        this.down = down;
    }

    @Override
    public String name() {
        return "probe";
    }

    @Override
    public Optional<HealthContribution> liveness() {
        HealthContribution.Builder health = HealthContribution.builder().data("switched-down", down);
        if (down) {
            health.down("probe is switched down (see nats://probe-user:probe-secret@example:4222)");
        }
        return Optional.of(health.build());
    }
}
