package io.jetstreambridge.sample;

import jakarta.enterprise.context.RequestScoped;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code /{orders|billing|shipping}/api/events}: the events this application received through the bridge. */
@Path("events")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class EventsResource {

    @PersistenceContext(unitName = "sample")
    EntityManager em;

    @GET
    public JsonArray list() {
        JsonArrayBuilder all = Json.createArrayBuilder();
        em.createQuery("select e from ReceivedEvent e order by e.id", ReceivedEvent.class).getResultList()
                .forEach(event -> all.add(event.toJson()));
        return all.build();
    }
}
