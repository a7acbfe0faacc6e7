package io.jetstreambridge.sample;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.logging.Logger;

/**
 * {@code POST /orders/api/test-hooks/ejb/{case}?marker=...}: runs one of {@link EjbProbes}' transaction cases and
 * answers how the call ended ({@code returned}, or the exception the caller saw); billing's {@link EjbProbeRecorder}
 * records what arrived. Answers 404 unless {@code sample.test-hooks=true}.
 */
@Path("test-hooks/ejb/{case}")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class EjbProbesResource {

    private static final Logger LOG = Logger.getLogger(EjbProbesResource.class.getName());

    // @Inject, not @EJB: WildFly leaves an @EJB field of a CDI-managed JAX-RS resource null
    @Inject
    EjbProbes probes;

    @Inject
    SampleRole role;

    @Inject
    TestHooks hooks;

    @POST
    public JsonObject run(@PathParam("case") String name, @QueryParam("marker") String marker) {
        role.require(SampleRole.ORDERS, "the EJB probes");
        hooks.requireEnabled();
        Runnable probe = switch (name) {
            case "required" -> () -> probes.publish(marker);
            case "requires-new-inside-rolled-back" ->
                    () -> probes.publishInsideARolledBackTransaction(marker + "/outer", marker + "/inner");
            case "set-rollback-only" -> () -> probes.publishThenSetRollbackOnly(marker);
            case "system-exception" -> () -> probes.publishThenFail(marker);
            case "application-exception-rollback" -> () -> probes.publishThenThrow(marker, true);
            case "application-exception-commit" -> () -> probes.publishThenThrow(marker, false);
            default -> throw new NotFoundException("no EJB probe " + name);
        };
        String outcome;
        try {
            probe.run();
            outcome = "returned";
        } catch (RuntimeException e) {
            String thrown = e.getClass().getSimpleName();
            LOG.info(() -> "EJB probe " + name + " (" + marker + ") threw " + e);
            outcome = thrown;
        }
        return Json.createObjectBuilder().add("case", name).add("marker", marker).add("outcome", outcome).build();
    }
}
