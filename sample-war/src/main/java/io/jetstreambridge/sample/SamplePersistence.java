package io.jetstreambridge.sample;

import io.jetstreambridge.BridgePersistence;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * Tells the bridge which JTA {@link EntityManager} its inbox and outbox rows go through: the application's own,
 * so that they commit atomically with the business data (no XA).
 */
@ApplicationScoped
public class SamplePersistence {

    @Produces
    @BridgePersistence
    @PersistenceContext(unitName = "sample")
    EntityManager bridgeEntityManager;
}
