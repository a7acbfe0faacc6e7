package io.jetstreambridge.sample;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code /billing/api/test-hooks/observer-gate}: GET shows the {@link ObserverGate}, POST {@code close} makes
 * billing's {@code order.created} observer wait, POST {@code open} releases it. Answers 404 unless
 * {@code sample.test-hooks=true}.
 */
@Path("test-hooks/observer-gate")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class TestHooksResource {

    @Inject
    ObserverGate gate;

    @Inject
    SampleRole role;

    @Inject
    TestHooks hooks;

    @GET
    public JsonObject state() {
        requireEnabled();
        return Json.createObjectBuilder()
                .add("closed", gate.closed())
                .add("waiting", gate.waiting())
                .build();
    }

    @POST
    @Path("close")
    public JsonObject close() {
        requireEnabled();
        gate.close();
        return state();
    }

    @POST
    @Path("open")
    public JsonObject open() {
        requireEnabled();
        gate.open();
        return state();
    }

    private void requireEnabled() {
        role.require(SampleRole.BILLING, "the observer gate");
        hooks.requireEnabled();
    }
}
