package io.jetstreambridge.cdi.admin;

import io.jetstreambridge.JetstreamBridgeException;
import jakarta.json.JsonStructure;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.function.Supplier;

/**
 * JSON responses of the admin resources. Bodies are written with JSON-P to text, so the resources need no JSON
 * provider of the JAX-RS runtime. Failures become JSON errors: bad input 400, a bridge failure (NATS not
 * connected, JetStream refused) 503; anything else is left to the container.
 */
public final class AdminResponses {

    private static final JsonProvider JSON = JsonProvider.provider();

    private AdminResponses() {
    }

    public static JsonProvider json() {
        return JSON;
    }

    public static Response ok(JsonStructure body) {
        return Response.ok(body.toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }

    public static Response error(Response.Status status, String message) {
        String body = JSON.createObjectBuilder().add("status", status.getStatusCode()).add("error", message).build()
                .toString();
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }

    /** Runs the call, turning bad input and bridge failures into JSON errors. */
    public static Response run(Supplier<Response> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException e) {
            return error(Response.Status.BAD_REQUEST, e.getMessage());
        } catch (JetstreamBridgeException e) {
            return error(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
        }
    }
}
