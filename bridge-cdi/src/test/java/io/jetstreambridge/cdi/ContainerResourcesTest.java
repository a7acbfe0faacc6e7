package io.jetstreambridge.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.enterprise.inject.Instance;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import javax.naming.Context;
import javax.naming.NameNotFoundException;

/**
 * The one JNDI look-up rule of the CDI adapters, for the resource the outbox cannot work without: the container's
 * bean first, else its standard JNDI name; none at all fails naming the resource, with the naming service's failure
 * as the cause when there was one.
 */
class ContainerResourcesTest {

    private static final String NAME = "java:comp/TransactionSynchronizationRegistry";
    private final TransactionSynchronizationRegistry registry = (TransactionSynchronizationRegistry)
            Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {TransactionSynchronizationRegistry.class}, (proxy, method, args) -> null);
    private String factoryBefore;

    @BeforeEach
    void remember() {
        factoryBefore = System.getProperty(Context.INITIAL_CONTEXT_FACTORY);
        ManagedExecutorsTest.BOUND.clear();
    }

    @AfterEach
    void restore() {
        ManagedExecutorsTest.BOUND.clear();
        if (factoryBefore == null) {
            System.clearProperty(Context.INITIAL_CONTEXT_FACTORY);
        } else {
            System.setProperty(Context.INITIAL_CONTEXT_FACTORY, factoryBefore);
        }
    }

    @Test
    void theContainersBeanComesFirst() {
        System.setProperty(Context.INITIAL_CONTEXT_FACTORY, ManagedExecutorsTest.ServerNaming.class.getName());
        assertThat(ContainerResources.transactionSynchronizationRegistry(beans(registry))).isSameAs(registry);
    }

    @Test
    void withoutABeanTheStandardJndiNameIsLookedUp() {
        System.setProperty(Context.INITIAL_CONTEXT_FACTORY, ManagedExecutorsTest.ServerNaming.class.getName());
        ManagedExecutorsTest.BOUND.put(NAME, registry);
        assertThat(ContainerResources.transactionSynchronizationRegistry(beans(null))).isSameAs(registry);
    }

    @Test
    void aFailedLookUpInsideAServerFailsNamingTheResourceWithTheCause() {
        System.setProperty(Context.INITIAL_CONTEXT_FACTORY, ManagedExecutorsTest.ServerNaming.class.getName());
        assertThatThrownBy(() -> ContainerResources.transactionSynchronizationRegistry(beans(null)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(NAME)
                .hasCauseInstanceOf(NameNotFoundException.class);
    }

    @Test
    void withoutAnyNamingServiceItFailsNamingTheResource() {
        System.clearProperty(Context.INITIAL_CONTEXT_FACTORY);
        assertThatThrownBy(() -> ContainerResources.transactionSynchronizationRegistry(beans(null)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(NAME);
    }

    @Test
    void anOptionalResourceIsAbsentWithoutAnyNamingService() {
        System.clearProperty(Context.INITIAL_CONTEXT_FACTORY);
        assertThat(ContainerResources.orFallback(ContainerResources.DEFAULT_EXECUTOR, Object.class, "own threads"))
                .isEmpty();
    }

    /** An {@code Instance} that resolves to {@code bean}, or is unsatisfied when it is null. */
    @SuppressWarnings("unchecked")
    private static Instance<TransactionSynchronizationRegistry> beans(TransactionSynchronizationRegistry bean) {
        return (Instance<TransactionSynchronizationRegistry>) Proxy.newProxyInstance(
                ContainerResourcesTest.class.getClassLoader(), new Class<?>[] {Instance.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "isResolvable" -> bean != null;
                    case "get" -> {
                        if (bean == null) {
                            throw new IllegalStateException("unsatisfied");
                        }
                        yield bean;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
