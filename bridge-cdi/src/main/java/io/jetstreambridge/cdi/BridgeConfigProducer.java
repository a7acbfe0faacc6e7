package io.jetstreambridge.cdi;

import io.jetstreambridge.core.config.MicroProfileSettings;

import io.jetstreambridge.config.BridgeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

/**
 * Produces the validated {@link BridgeConfig} once per application. {@link BridgeExtension} asks for it during
 * deployment validation, so a bad configuration stops the deployment with every problem listed.
 */
@ApplicationScoped
public class BridgeConfigProducer {

    @Inject
    Config config;

    @Produces
    @Singleton
    BridgeConfig bridgeConfig() {
        return BridgeConfig.from(new MicroProfileSettings(config));
    }
}
