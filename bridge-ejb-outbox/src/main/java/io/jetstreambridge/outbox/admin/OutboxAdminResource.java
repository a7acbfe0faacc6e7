package io.jetstreambridge.outbox.admin;

import io.jetstreambridge.config.AdminSettings;
import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.outbox.OutboxRow;
import io.jetstreambridge.outbox.OutboxStore;
import io.jetstreambridge.outbox.cdi.OutboxOperations;
import io.jetstreambridge.runtime.admin.AdminAccess;
import io.jetstreambridge.runtime.admin.AdminResponses;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.time.Instant;
import java.util.Objects;

/**
 * The outbox over HTTP, beside the dead letters: {@code GET jetstream-bridge/admin/outbox} (backlog),
 * {@code GET .../failed} (rows that used up their attempts), {@code POST .../failed/{eventId}/retry} and
 * {@code DELETE .../failed/{eventId}} (discard). It lives in this module so the dead-letter resource does not
 * need the outbox; same switch ({@code jetstream.bridge.admin.enabled}) and role as the dead-letter resource.
 */
@Path("jetstream-bridge/admin/outbox")
@RequestScoped
@RolesAllowed(AdminSettings.ROLE)
@Produces(MediaType.APPLICATION_JSON)
public class OutboxAdminResource {

    static final int MAX_LIMIT = 1000;

    private OutboxOperations operations;
    private AdminAccess access;

    /**
     * For the CDI proxy, and public because RESTEasy (WildFly) refuses to register a resource class without a public
     * constructor it could call itself (RESTEASY003190), even when CDI creates the instances.
     */
    public OutboxAdminResource() {
    }

    @Inject
    public OutboxAdminResource(OutboxOperations operations, BridgeConfig config) {
        this(operations, new AdminAccess(config.admin()));
    }

    /** Outside CDI (a JAX-RS application that registers instances). */
    public OutboxAdminResource(OutboxOperations operations, AdminAccess access) {
        this.operations = Objects.requireNonNull(operations, "operations");
        this.access = Objects.requireNonNull(access, "access");
    }

    @GET
    public Response backlog(@Context SecurityContext security) {
        return access.call(security, () -> {
            OutboxStore.Backlog backlog = operations.backlog();
            JsonObjectBuilder body = AdminResponses.json().createObjectBuilder()
                    .add("pending", backlog.pending()).add("failed", backlog.failed());
            instant(body, "oldest_pending_created_at", backlog.oldestCreatedAt());
            return AdminResponses.ok(body.build());
        });
    }

    @GET
    @Path("failed")
    public Response failed(@Context SecurityContext security, @QueryParam("limit") @DefaultValue("50") int limit) {
        return access.call(security, () -> {
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", was " + limit);
            }
            JsonArrayBuilder rows = AdminResponses.json().createArrayBuilder();
            operations.failed(limit).forEach(row -> rows.add(row(row)));
            return AdminResponses.ok(AdminResponses.json().createObjectBuilder().add("rows", rows).build());
        });
    }

    @POST
    @Path("failed/{eventId}/retry")
    public Response retry(@Context SecurityContext security, @PathParam("eventId") String eventId) {
        return access.call(security, () -> operations.retry(eventId)
                ? AdminResponses.ok(AdminResponses.json().createObjectBuilder().add("event_id", eventId)
                        .add("status", "pending").build())
                : noFailedRow(eventId));
    }

    @DELETE
    @Path("failed/{eventId}")
    public Response discard(@Context SecurityContext security, @PathParam("eventId") String eventId) {
        return access.call(security, () -> operations.discard(eventId) ? Response.noContent().build()
                : noFailedRow(eventId));
    }

    private static Response noFailedRow(String eventId) {
        return AdminResponses.error(Response.Status.NOT_FOUND, "no failed outbox row with event id " + eventId);
    }

    private static JsonObjectBuilder row(OutboxRow row) {
        JsonObjectBuilder o = AdminResponses.json().createObjectBuilder()
                .add("id", row.id())
                .add("event_id", row.eventId())
                .add("event_type", row.eventType())
                .add("resource_type", text(row.resourceType()))
                .add("resource_id", text(row.resourceId()))
                .add("subject", text(row.subject()))
                .add("status", row.status())
                .add("attempts", row.attempts())
                .add("last_error", text(row.lastError()));
        instant(o, "created_at", row.createdAt());
        instant(o, "next_attempt_at", row.nextAttemptAt());
        instant(o, "sent_at", row.sentAt());
        return o;
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static void instant(JsonObjectBuilder o, String key, Instant value) {
        if (value == null) {
            o.addNull(key);
        } else {
            o.add(key, value.toString());
        }
    }
}
