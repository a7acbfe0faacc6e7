package io.jetstreambridge.cdi;

import io.jetstreambridge.BridgePersistence;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Finds the application's JTA-enlisted {@link EntityManager} for the inbox and outbox: the one qualified
 * {@link BridgePersistence}, else the application's {@code @Default} one.
 */
@ApplicationScoped
public class BridgeEntityManagers {

    static final String HOW_TO_PROVIDE = "produce one in the application, e.g. `@Produces @BridgePersistence "
            + "@PersistenceContext EntityManager bridgeEntityManager;` (see docs/getting-started.md, section 6)";

    @Inject
    @Any
    Instance<EntityManager> entityManagers;

    /**
     * The entity manager to use for a feature that cannot work without one.
     *
     * @param feature the setting that needs it, for the error message, e.g. {@code jetstream.bridge.inbox.enabled}
     */
    public Supplier<EntityManager> require(String feature) {
        Instance<EntityManager> found = find().orElseThrow(() -> new IllegalStateException(
                feature + "=true needs the application's EntityManager: " + HOW_TO_PROVIDE));
        return found::get;
    }

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
