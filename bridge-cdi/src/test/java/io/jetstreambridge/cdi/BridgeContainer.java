package io.jetstreambridge.cdi;

import io.jetstreambridge.testing.TestConfigs;
import io.smallrye.config.inject.ConfigExtension;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

import java.util.Map;

/**
 * A CDI SE container with the bridge's beans and MicroProfile Config holding exactly the given properties: what an
 * application server does at deployment, without the server.
 */
final class BridgeContainer implements AutoCloseable {

    private final WeldContainer weld;
    private final Config config;
    private final ClassLoader loader;

    private BridgeContainer(WeldContainer weld, Config config, ClassLoader loader) {
        this.weld = weld;
        this.config = config;
        this.loader = loader;
    }

    /** Boots the container; deployment problems surface as the exception Weld throws. */
    static BridgeContainer start(Map<String, String> properties, Class<?>... applicationBeans) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Config config = TestConfigs.register(properties, "test", loader);
        try {
            WeldContainer weld = new Weld("bridge-test-" + System.nanoTime())
                    .disableDiscovery()
                    .addExtension(new ConfigExtension())
                    .addExtension(new BridgeExtension())
                    .addBeanClasses(BridgeConfigProducer.class, BridgeRuntime.class, ManagedExecutors.class,
                            PublisherProducer.class, BridgeTelemetryProducer.class, PayloadMapping.class)
                    .addBeanClasses(applicationBeans)
                    .initialize();
            return new BridgeContainer(weld, config, loader);
        } catch (RuntimeException e) {
            ConfigProviderResolver.instance().releaseConfig(config);
            throw e;
        }
    }

    <T> T select(Class<T> type) {
        return weld.select(type).get();
    }

    @Override
    public void close() {
        try {
            weld.shutdown();
        } finally {
            ConfigProviderResolver.instance().releaseConfig(config);
        }
    }

    ClassLoader loader() {
        return loader;
    }
}
