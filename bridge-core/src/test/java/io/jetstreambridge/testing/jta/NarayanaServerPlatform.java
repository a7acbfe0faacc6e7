package io.jetstreambridge.testing.jta;

import org.eclipse.persistence.platform.server.ServerPlatformBase;
import org.eclipse.persistence.sessions.DatabaseSession;
import org.eclipse.persistence.sessions.ExternalTransactionController;

/**
 * The "application server" EclipseLink is told it runs in ({@code eclipselink.target-server}): no JNDI, no JMX, JTA
 * through {@link NarayanaTransactionController}.
 */
public class NarayanaServerPlatform extends ServerPlatformBase {

    public NarayanaServerPlatform(DatabaseSession session) {
        super(session);
    }

    @Override
    public Class<? extends ExternalTransactionController> getExternalTransactionControllerClass() {
        if (externalTransactionControllerClass == null) {
            externalTransactionControllerClass = NarayanaTransactionController.class;
        }
        return externalTransactionControllerClass;
    }

    @Override
    public boolean isJTA11() {
        return true;
    }

    @Override
    public boolean isRuntimeServicesEnabledDefault() {
        return false;
    }
}
