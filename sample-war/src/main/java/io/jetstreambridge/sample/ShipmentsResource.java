package io.jetstreambridge.sample;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code /shipping/api/shipments}: the shipments shipping created (the {@code shipping} application only). */
@Path("shipments")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ShipmentsResource {

    @Inject
    ShippingService shipping;

    @Inject
    SampleRole role;

    @GET
    public JsonArray list() {
        role.require(SampleRole.SHIPPING, "shipments");
        JsonArrayBuilder all = Json.createArrayBuilder();
        shipping.all().forEach(shipment -> all.add(shipment.toJson()));
        return all.build();
    }
}
