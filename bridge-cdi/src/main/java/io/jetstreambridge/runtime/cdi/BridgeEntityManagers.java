package io.jetstreambridge.runtime.cdi;

import io.jetstreambridge.BridgePersistence;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.util.Optional;

/**
 * Finds the application's JTA-enlisted {@link EntityManager} for the inbox and outbox: the one qualified
 * {@link BridgePersistence}, else the application's {@code @Default} one.
 */
@ApplicationScoped
public class BridgeEntityManagers {

    static final String HOW_TO_PROVIDE = "produce one in the application, e.g. `@Produces @BridgePersistence "
            + "@PersistenceContext EntityManager bridgeEntityManager;` (see docs/architecture.md)";

    @Inject
    @Any
    Instance<EntityManager> entityManagers;

    /** The entity manager to use, if the application offers one. */
    public Optional<Instance<EntityManager>> find() {
        Instance<EntityManager> qualified = entityManagers.select(BridgePersistence.Literal.INSTANCE);
        if (qualified.isResolvable()) {
            return Optional.of(qualified);
        }
        Instance<EntityManager> plain = entityManagers.select(Default.Literal.INSTANCE);
        return plain.isResolvable() ? Optional.of(plain) : Optional.empty();
    }
}
