package io.jetstreambridge.outbox.admin;

import io.jetstreambridge.config.AdminSettings;
import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.Durations;
import io.jetstreambridge.core.outbox.FailedRows;
import io.jetstreambridge.core.outbox.OutboxRow;
import io.jetstreambridge.core.outbox.OutboxStore;
import io.jetstreambridge.outbox.cdi.OutboxMaintenanceService;
import io.jetstreambridge.cdi.admin.AdminAccess;
import io.jetstreambridge.cdi.admin.AdminResponses;
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

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The outbox over HTTP, beside the dead letters: {@code GET jetstream-bridge/admin/outbox} (backlog),
 * {@code GET .../failed} (rows that used up their attempts, optionally of one {@code event_type} and
 * {@code older_than} an age), {@code POST .../failed/{eventId}/retry}, {@code POST .../failed/retry} (bulk, same
 * filters) and {@code DELETE .../failed/{eventId}} (discard). It lives in this module so the dead-letter resource does not
 * need the outbox; same switch ({@code jetstream.bridge.admin.enabled}) and role as the dead-letter resource.
 */
@Path("jetstream-bridge/admin/outbox")
@RequestScoped
@RolesAllowed(AdminSettings.ROLE)
@Produces(MediaType.APPLICATION_JSON)
public class OutboxAdminResource {

    static final int MAX_LIMIT = 1000;

    private OutboxMaintenanceService maintenance;
    private AdminAccess access;

    /**
     * For the CDI proxy, and public because RESTEasy (WildFly) refuses to register a resource class without a public
     * constructor it could call itself (RESTEASY003190), even when CDI creates the instances.
     */
    public OutboxAdminResource() {
    }

    @Inject
    public OutboxAdminResource(OutboxMaintenanceService maintenance, BridgeConfig config) {
        this(maintenance, new AdminAccess(config.admin()));
    }

    /** Outside CDI (a JAX-RS application that registers instances). */
    public OutboxAdminResource(OutboxMaintenanceService maintenance, AdminAccess access) {
        this.maintenance = Objects.requireNonNull(maintenance, "maintenance");
        this.access = Objects.requireNonNull(access, "access");
    }

    @GET
    public Response backlog(@Context SecurityContext security) {
        return access.call(security, () -> {
            OutboxStore.Backlog backlog = maintenance.backlog();
            JsonObjectBuilder body = AdminResponses.json().createObjectBuilder()
                    .add("pending", backlog.pending()).add("failed", backlog.failed());
            instant(body, "oldest_pending_created_at", backlog.oldestCreatedAt());
            return AdminResponses.ok(body.build());
        });
    }

    @GET
    @Path("failed")
    public Response failed(@Context SecurityContext security, @QueryParam("limit") @DefaultValue("50") int limit,
                           @QueryParam("event_type") String eventType, @QueryParam("older_than") String olderThan) {
        return access.call(security, () -> {
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", was " + limit);
            }
            JsonArrayBuilder rows = AdminResponses.json().createArrayBuilder();
            maintenance.failed(which(eventType, olderThan), limit).forEach(row -> rows.add(row(row)));
            return AdminResponses.ok(AdminResponses.json().createObjectBuilder().add("rows", rows).build());
        });
    }

    /**
     * Bulk retry: every failed row of {@code event_type} and/or created more than {@code older_than} ago (a
     * duration such as {@code 1h}), or every failed row without either; in batches, each in its own transaction.
     */
    @POST
    @Path("failed/retry")
    public Response retryFailed(@Context SecurityContext security, @QueryParam("event_type") String eventType,
                                @QueryParam("older_than") String olderThan) {
        return access.call(security, () -> {
            FailedRows which = which(eventType, olderThan);
            int retried = maintenance.retryFailed(which);
            return AdminResponses.ok(AdminResponses.json().createObjectBuilder().add("retried", retried)
                    .add("status", "pending").build());
        });
    }

    /** The rows a query names; a blank parameter means no filter. */
    private static FailedRows which(String eventType, String olderThan) {
        Duration age = olderThan == null || olderThan.isBlank() ? null : parseAge(olderThan);
        return FailedRows.of(eventType == null || eventType.isBlank() ? null : eventType, age, Instant.now());
    }

    private static Duration parseAge(String olderThan) {
        try {
            return Durations.parse(olderThan);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("older_than: " + e.getMessage(), e);
        }
    }

    @POST
    @Path("failed/{eventId}/retry")
    public Response retry(@Context SecurityContext security, @PathParam("eventId") String eventId) {
        return access.call(security, () -> maintenance.retry(eventId)
                ? AdminResponses.ok(AdminResponses.json().createObjectBuilder().add("event_id", eventId)
                        .add("status", "pending").build())
                : noFailedRow(eventId));
    }

    @DELETE
    @Path("failed/{eventId}")
    public Response discard(@Context SecurityContext security, @PathParam("eventId") String eventId) {
        return access.call(security, () -> maintenance.discard(eventId) ? Response.noContent().build()
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
