package io.jetstreambridge.cdi;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.InvalidConfigurationException;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.transaction.UserTransaction;

/**
 * Deployment-time work only: validates the configuration, and that the container offers what the configuration
 * needs, while the application is being deployed, so a broken set-up fails the deployment (listing every
 * problem) instead of failing at the first message.
 */
public class BridgeExtension implements Extension {

    void validate(@Observes AfterDeploymentValidation validation, BeanManager beans) {
        BridgeConfig config;
        try {
            config = beans.createInstance().select(BridgeConfig.class).get();
        } catch (InvalidConfigurationException e) {
            validation.addDeploymentProblem(e);
            return;
        }
        if (config.consumer().enabled() && !beans.createInstance().select(UserTransaction.class).isResolvable()) {
            validation.addDeploymentProblem(new IllegalStateException("jetstream.bridge.consumer.enabled=true "
                    + "needs JTA (a UserTransaction bean): deploy to a Jakarta EE server or set it to false"));
        }
        if (config.outbox().enabled()
                && !beans.createInstance().select(TransactionalPublishing.class).isResolvable()) {
            validation.addDeploymentProblem(new IllegalStateException("jetstream.bridge.outbox.enabled=true needs "
                    + "the bridge-ejb-outbox module in the application (WEB-INF/lib)"));
        }
        if ((config.inbox().enabled() || config.outbox().enabled())
                && !beans.createInstance().select(UserTransaction.class).isResolvable()) {
            validation.addDeploymentProblem(new IllegalStateException("the inbox and the outbox need JTA "
                    + "(a UserTransaction bean): deploy to a Jakarta EE server"));
        }
        if (config.inbox().enabled() || config.outbox().enabled()) {
            boolean found = beans.createInstance().select(BridgeEntityManagers.class).get().find().isPresent();
            if (!found) {
                validation.addDeploymentProblem(new IllegalStateException("the inbox and the outbox "
                        + "(jetstream.bridge.inbox.enabled, jetstream.bridge.outbox.enabled) need the application's "
                        + "EntityManager: " + BridgeEntityManagers.HOW_TO_PROVIDE));
            }
        }
    }
}
