package io.jetstreambridge.sample;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which of the three logical applications this deployment is: the same WAR runs as {@code orders}, {@code billing}
 * and {@code shipping}, told apart by {@code jetstream.bridge.app-name}.
 */
@ApplicationScoped
public class SampleRole {

    public static final String ORDERS = "orders";
    public static final String BILLING = "billing";
    public static final String SHIPPING = "shipping";

    @Inject
    @ConfigProperty(name = "jetstream.bridge.app-name")
    String appName;

    public String appName() {
        return appName;
    }

    /**
     * Whether this deployment is that application. Observers ask it: every deployment has every observer, and
     * billing and shipping both receive {@code order.created}, each to do its own part.
     */
    public boolean is(String role) {
        return role.equals(appName);
    }

    /** Answers 404 with a hint when a resource of the other application is asked for. */
    public void require(String role, String what) {
        if (!is(role)) {
            throw new NotFoundException(Response.status(Response.Status.NOT_FOUND)
                    .type(MediaType.APPLICATION_JSON)
                    .entity(Json.createObjectBuilder()
                            .add("error", what + " live in the '" + role + "' application, this is '" + appName + "'")
                            .build())
                    .build());
        }
    }
}
