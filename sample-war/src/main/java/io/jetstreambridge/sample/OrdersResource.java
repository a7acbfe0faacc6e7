package io.jetstreambridge.sample;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;

import java.math.BigDecimal;

/** {@code /orders/api/orders}: place and list orders (the {@code orders} application only). */
@Path("orders")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class OrdersResource {

    @Inject
    OrderService orders;

    @Inject
    SampleRole role;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response place(JsonObject body, @QueryParam("fail") boolean fail, @Context UriInfo uri) {
        role.require(SampleRole.ORDERS, "orders");
        if (body == null || !body.containsKey("customer") || body.get("customer").getValueType() != JsonValue.ValueType.STRING
                || !(body.get("amount") instanceof JsonNumber)) {
            throw new BadRequestException(Response.status(Response.Status.BAD_REQUEST)
                    .type(MediaType.APPLICATION_JSON)
                    .entity(Json.createObjectBuilder()
                            .add("error", "expected {\"customer\": \"...\", \"amount\": 12.50}").build())
                    .build());
        }
        BigDecimal amount = body.getJsonNumber("amount").bigDecimalValue();
        PurchaseOrder order = orders.place(body.getString("customer"), amount, fail);
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(order.getId())).build())
                .entity(order.toJson())
                .build();
    }

    @GET
    public JsonArray list() {
        role.require(SampleRole.ORDERS, "orders");
        JsonArrayBuilder all = Json.createArrayBuilder();
        orders.all().forEach(order -> all.add(order.toJson()));
        return all.build();
    }

    @GET
    @Path("{id}")
    public JsonObject one(@PathParam("id") long id) {
        role.require(SampleRole.ORDERS, "orders");
        return orders.find(id).map(PurchaseOrder::toJson)
                .orElseThrow(() -> new NotFoundException("no order " + id));
    }
}
