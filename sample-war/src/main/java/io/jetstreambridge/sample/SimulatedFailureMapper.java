package io.jetstreambridge.sample;

import jakarta.json.Json;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** {@code POST /api/orders?fail=true} answers 500 with the reason, after the rollback. */
@Provider
public class SimulatedFailureMapper implements ExceptionMapper<SimulatedFailure> {

    @Override
    public Response toResponse(SimulatedFailure failure) {
        return Response.serverError()
                .type(MediaType.APPLICATION_JSON)
                .entity(Json.createObjectBuilder().add("error", failure.getMessage()).build())
                .build();
    }
}
