package io.jetstreambridge.cdi.admin;

import io.jetstreambridge.config.AdminSettings;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Who may call the admin resources: nobody while {@code jetstream.bridge.admin.enabled} is off (404, so the
 * resources look absent), else only an authenticated caller in the role {@value AdminSettings#ROLE} (401 without a
 * caller, 403 without the role). The resources also declare the role with {@code @RolesAllowed}; this check makes
 * it hold on JAX-RS runtimes that do not enforce that annotation by default (RESTEasy without
 * {@code resteasy.role.based.security}, Jersey without {@code RolesAllowedDynamicFeature}).
 */
public final class AdminAccess {

    private final boolean enabled;

    public AdminAccess(AdminSettings settings) {
        this.enabled = Objects.requireNonNull(settings, "settings").enabled();
    }

    /**
     * Runs the call when the caller may, else answers 404 (off), 401 (no caller) or 403 (not in the role) with a JSON
     * error. Bad input and bridge failures become JSON errors too ({@link AdminResponses#run}).
     */
    public Response call(SecurityContext security, Supplier<Response> call) {
        if (!enabled) {
            return AdminResponses.error(Response.Status.NOT_FOUND,
                    "the admin resources are off; set jetstream.bridge.admin.enabled=true to serve them");
        }
        if (security == null || security.getUserPrincipal() == null) {
            return AdminResponses.error(Response.Status.UNAUTHORIZED,
                    "authentication required (role " + AdminSettings.ROLE + ")");
        }
        if (!security.isUserInRole(AdminSettings.ROLE)) {
            return AdminResponses.error(Response.Status.FORBIDDEN, "caller '"
                    + security.getUserPrincipal().getName() + "' is not in role " + AdminSettings.ROLE);
        }
        return AdminResponses.run(call);
    }
}
