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

/** {@code /billing/api/invoices}: the invoices billing created (the {@code billing} application only). */
@Path("invoices")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class InvoicesResource {

    @Inject
    BillingService billing;

    @Inject
    SampleRole role;

    @GET
    public JsonArray list() {
        role.require(SampleRole.BILLING, "invoices");
        JsonArrayBuilder all = Json.createArrayBuilder();
        billing.all().forEach(invoice -> all.add(invoice.toJson()));
        return all.build();
    }
}
