package io.jetstreambridge.sample;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The switch of the sample's test hooks ({@code sample.test-hooks}): on in the integration tests' servers, off in
 * {@code .ci/sample.sh}, where the hooks' resources answer 404.
 */
@ApplicationScoped
public class TestHooks {

    @Inject
    @ConfigProperty(name = "sample.test-hooks", defaultValue = "false")
    boolean enabled;

    /** Answers 404 unless the test hooks are on. */
    public void requireEnabled() {
        if (!enabled) {
            throw new NotFoundException(Response.status(Response.Status.NOT_FOUND)
                    .type(MediaType.APPLICATION_JSON)
                    .entity(Json.createObjectBuilder()
                            .add("error", "test hooks are off: set sample.test-hooks=true in the application's "
                                    + "configuration")
                            .build())
                    .build());
        }
    }
}
