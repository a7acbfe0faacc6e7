package io.jetstreambridge.testing.cdi;

import io.jetstreambridge.testing.jta.HarnessResourceServices;
import io.jetstreambridge.testing.jta.JtaHarnessExtension;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.jta.Narayana;
import io.jetstreambridge.testing.jta.NarayanaTransactionServices;

import io.jetstreambridge.cdi.BridgeConfigProducer;
import io.jetstreambridge.cdi.BridgeExtension;
import io.jetstreambridge.cdi.BridgeRuntime;
import io.jetstreambridge.cdi.BridgeTelemetryProducer;
import io.jetstreambridge.cdi.PublisherProducer;
import io.jetstreambridge.cdi.ManagedExecutors;
import io.jetstreambridge.cdi.PayloadMapping;
import io.jetstreambridge.testing.TestConfigs;
import com.arjuna.ats.jta.cdi.TransactionExtension;
import io.smallrye.config.inject.ConfigExtension;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.util.TypeLiteral;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A CDI container (Weld SE) with what a Jakarta EE server adds around an application's beans: JTA through Narayana,
 * JPA through a {@link JpaHarness}, and MicroProfile Config holding exactly the given properties.
 *
 * <pre>{@code
 * try (JtaContainer cdi = JtaContainer.builder()
 *         .jpa(jpa)                                   // optional: a started JpaHarness
 *         .beanClasses(InboxService.class)            // the beans under test (discovery is off)
 *         .config(Map.of("jetstream.bridge.app-name", "orders"))
 *         .start()) {
 *     cdi.select(InboxService.class).handle(event);
 * }
 * }</pre>
 *
 * <p>Beans it provides, all with the {@code @Default} qualifier:
 * <ul>
 *   <li>{@code TransactionManager} and {@code TransactionSynchronizationRegistry}: Narayana's own CDI extension
 *       ({@code com.arjuna.ats.jta.cdi.TransactionExtension}, shipped in {@code narayana-jta}; the container adds it,
 *       since Weld SE without discovery loads no extension by itself) provides them. Do not produce these
 *       types in test beans: they would be ambiguous;</li>
 *   <li>{@code UserTransaction}: Weld's built-in bean, present because the container registers a Weld
 *       {@code TransactionServices} for Narayana (Weld's JTA module). Same remark;</li>
 *   <li>{@code EntityManager} (transaction-scoped, see {@link JpaHarness#entityManager()}) and
 *       {@code EntityManagerFactory}, when a JpaHarness is given and the application's beans do not produce one.</li>
 * </ul>
 * It also gives what a server gives: {@code @PersistenceContext} / {@code @PersistenceUnit} injection (the
 * harness's unit; an {@code unitName} other than its own fails deployment), {@code @Resource} injection of
 * {@code UserTransaction}, {@code TransactionManager}, {@code TransactionSynchronizationRegistry} and
 * {@code DataSource} (the JTA one), the {@code @Transactional} interceptors and {@code @TransactionScoped} context
 * (Narayana's extension), and transactional observers ({@code @Observes(during = AFTER_SUCCESS)} ...).
 *
 * <p>The MicroProfile Config is registered for the thread's context class loader while the container runs, as the
 * bridge's {@code BridgeContainer} does; so run one container at a time per class loader.
 */
public final class JtaContainer implements AutoCloseable {

    private final WeldContainer weld;
    private final Config config;

    private JtaContainer(WeldContainer weld, Config config) {
        this.weld = weld;
        this.config = config;
    }

    /** A new builder; {@link Builder#start()} boots the container. */
    public static Builder builder() {
        return new Builder();
    }

    /** The bean of {@code type} with the given qualifiers. */
    public <T> T select(Class<T> type, Annotation... qualifiers) {
        return weld.select(type, qualifiers).get();
    }

    /** The bean of a parameterized type with the given qualifiers. */
    public <T> T select(TypeLiteral<T> type, Annotation... qualifiers) {
        return weld.select(type, qualifiers).get();
    }

    /** The container's BeanManager (to fire events, for instance). */
    public BeanManager beanManager() {
        return weld.getBeanManager();
    }

    /** The Weld container itself. */
    public WeldContainer weld() {
        return weld;
    }

    /** The MicroProfile Config the container's beans see. */
    public Config config() {
        return config;
    }

    /** Shuts the container down and unregisters its Config. Rolls back a transaction the calling thread left. */
    @Override
    public void close() {
        try {
            Narayana.rollbackLeftover();
            weld.shutdown();
        } finally {
            ConfigProviderResolver.instance().releaseConfig(config);
        }
    }

    /** Configures and starts a {@link JtaContainer}. */
    public static final class Builder {

        private JpaHarness jpa;
        private final Set<Class<?>> beanClasses = new LinkedHashSet<>();
        private final List<Extension> extensions = new ArrayList<>();
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final Set<Class<?>> alternatives = new LinkedHashSet<>();

        private Builder() {
        }

        /** The JPA harness whose EntityManager, EntityManagerFactory and DataSource the beans get. */
        public Builder jpa(JpaHarness jpa) {
            this.jpa = jpa;
            return this;
        }

        /** Adds bean classes (discovery is off: only these, the extensions' and the harness's beans exist). */
        public Builder beanClasses(Class<?>... classes) {
            beanClasses.addAll(Arrays.asList(classes));
            return this;
        }

        /** Adds portable extensions. */
        public Builder extensions(Extension... extensions) {
            this.extensions.addAll(Arrays.asList(extensions));
            return this;
        }

        /** Selects alternative bean classes (which must also be among the bean classes). */
        public Builder alternatives(Class<?>... classes) {
            alternatives.addAll(Arrays.asList(classes));
            return this;
        }

        /** Adds MicroProfile Config properties. */
        public Builder config(Map<String, String> properties) {
            this.properties.putAll(properties);
            return this;
        }

        /** Adds one MicroProfile Config property. */
        public Builder config(String name, String value) {
            properties.put(name, value);
            return this;
        }

        /**
         * Adds the bridge's runtime: its extension and the beans {@code io.jetstreambridge.cdi} deploys (the
         * same set as the CDI tests' {@code BridgeContainer}). Its configuration must then be among the properties.
         */
        public Builder withBridgeRuntime() {
            extensions.add(new BridgeExtension());
            return beanClasses(BridgeConfigProducer.class, BridgeRuntime.class, ManagedExecutors.class,
                    PublisherProducer.class, BridgeTelemetryProducer.class, PayloadMapping.class);
        }

        /** Boots the container; deployment problems surface as the exception Weld throws. */
        public JtaContainer start() {
            Narayana.configure();
            Config config = TestConfigs.register(new LinkedHashMap<>(properties), "jta-test",
                    Thread.currentThread().getContextClassLoader());
            try {
                Weld weld = new Weld("jta-test-" + System.nanoTime())
                        .disableDiscovery()
                        .addServices(new NarayanaTransactionServices(),
                                new HarnessResourceServices.Jpa(jpa),
                                new HarnessResourceServices.Resources(jpa))
                        .addExtension(new ConfigExtension())
                        // discovery is off, so Weld loads no extension from META-INF/services: add Narayana's
                        .addExtension(new TransactionExtension())
                        .addExtension(new JtaHarnessExtension(jpa));
                extensions.forEach(weld::addExtension);
                weld.addBeanClasses(beanClasses.toArray(Class<?>[]::new));
                alternatives.forEach(weld::addAlternative);
                return new JtaContainer(weld.initialize(), config);
            } catch (RuntimeException e) {
                ConfigProviderResolver.instance().releaseConfig(config);
                throw e;
            }
        }
    }
}
