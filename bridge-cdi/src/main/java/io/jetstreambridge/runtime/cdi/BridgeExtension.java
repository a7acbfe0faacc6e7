package io.jetstreambridge.runtime.cdi;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.InvalidConfigurationException;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.Extension;

/**
 * Deployment-time work only: validates the configuration while the application is being deployed, so a broken
 * configuration fails the deployment (listing every problem) instead of failing at the first message.
 */
public class BridgeExtension implements Extension {

    void validateConfiguration(@Observes AfterDeploymentValidation validation, BeanManager beans) {
        try {
            beans.createInstance().select(BridgeConfig.class).get();
        } catch (InvalidConfigurationException e) {
            validation.addDeploymentProblem(e);
        }
    }
}
