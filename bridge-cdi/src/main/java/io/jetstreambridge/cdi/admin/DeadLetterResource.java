package io.jetstreambridge.cdi.admin;

import io.jetstreambridge.config.AdminSettings;
import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.core.deadletter.DeadLetterAlreadyReplayedException;
import io.jetstreambridge.core.deadletter.DeadLetterFilter;
import io.jetstreambridge.core.deadletter.DeadLetterNotFoundException;
import io.jetstreambridge.core.deadletter.DeadLetterOperations;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
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
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * The dead letters over HTTP, under the application's JAX-RS root: {@code GET jetstream-bridge/admin/dead-letters}
 * (list), {@code GET .../{sequence}} (inspect), {@code POST .../{sequence}/replay}, {@code POST .../replay} (many, by
 * filter), {@code DELETE .../{sequence}}
 * and {@code DELETE ...?which=all|replayed} (purge). Off unless {@code jetstream.bridge.admin.enabled}; callers
 * need the role {@value AdminSettings#ROLE}. See {@link AdminAccess}.
 */
@Path("jetstream-bridge/admin/dead-letters")
@RequestScoped
@RolesAllowed(AdminSettings.ROLE)
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    private DeadLetterOperations deadLetters;
    private AdminAccess access;
    private DeadLetterJson json;

    /**
     * For the CDI proxy, and public because RESTEasy (WildFly) refuses to register a resource class without a public
     * constructor it could call itself (RESTEASY003190), even when CDI creates the instances.
     */
    public DeadLetterResource() {
    }

    @Inject
    public DeadLetterResource(DeadLetterOperations deadLetters, BridgeConfig config) {
        this(deadLetters, new AdminAccess(config.admin()));
    }

    /** Outside CDI (a JAX-RS application that registers instances). */
    public DeadLetterResource(DeadLetterOperations deadLetters, AdminAccess access) {
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.access = Objects.requireNonNull(access, "access");
        this.json = new DeadLetterJson(AdminResponses.json());
    }

    @GET
    public Response list(@Context SecurityContext security, @QueryParam("from") @DefaultValue("1") long from,
                         @QueryParam("limit") @DefaultValue("50") int limit) {
        return access.call(security, () -> AdminResponses.ok(json.page(deadLetters.list(from, limit),
                deadLetters.subject(), deadLetters.stream(), deadLetters.count())));
    }

    @GET
    @Path("{sequence}")
    public Response inspect(@Context SecurityContext security, @PathParam("sequence") long sequence) {
        return access.call(security, () -> deadLetters.inspect(sequence)
                .map(letter -> AdminResponses.ok(json.detail(letter)))
                .orElseGet(() -> notFound(sequence)));
    }

    @POST
    @Path("{sequence}/replay")
    public Response replay(@Context SecurityContext security, @PathParam("sequence") long sequence) {
        return access.call(security, () -> {
            try {
                return AdminResponses.ok(json.replayResult(deadLetters.replay(sequence)));
            } catch (DeadLetterNotFoundException e) {
                return AdminResponses.error(Response.Status.NOT_FOUND, e.getMessage());
            } catch (DeadLetterAlreadyReplayedException e) {
                return AdminResponses.error(Response.Status.CONFLICT, e.getMessage());
            }
        });
    }

    /**
     * Replays many, in stream order: every waiting entry ({@code all=true}), or those matching {@code reason},
     * {@code event-type}, {@code stored-from} and {@code stored-until} (ISO-8601 instants; from inclusive, until
     * exclusive); at most {@code limit} (1 to 1000, default 100) per call, from sequence {@code from} through
     * {@code through} (0: the last one now). Answers what was replayed and what failed, and {@code next} (0 when
     * done) and {@code through} to pass to the next call. A bare POST replays nothing.
     */
    @POST
    @Path("replay")
    public Response replayMany(@Context SecurityContext security,
                               @QueryParam("all") @DefaultValue("false") boolean all,
                               @QueryParam("reason") String reason, @QueryParam("event-type") String eventType,
                               @QueryParam("stored-from") String storedFrom,
                               @QueryParam("stored-until") String storedUntil,
                               @QueryParam("from") @DefaultValue("1") long from,
                               @QueryParam("through") @DefaultValue("0") long through,
                               @QueryParam("limit") @DefaultValue("100") int limit) {
        return access.call(security, () -> {
            DeadLetterFilter filter = new DeadLetterFilter(reason, eventType, instant("stored-from", storedFrom),
                    instant("stored-until", storedUntil));
            if (filter.takesAll() && !all) {
                throw new IllegalArgumentException("name what to replay: all=true, or reason, event-type, "
                        + "stored-from, stored-until");
            }
            return AdminResponses.ok(json.bulkReplay(deadLetters.replayMatching(filter, from, through, limit),
                    filter.describe()));
        });
    }

    private static Instant instant(String name, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("query parameter " + name + " must be an ISO-8601 instant such as "
                    + "2026-01-31T12:00:00Z, was " + text);
        }
    }

    @DELETE
    @Path("{sequence}")
    public Response purge(@Context SecurityContext security, @PathParam("sequence") long sequence) {
        return access.call(security, () -> deadLetters.purge(sequence) ? Response.noContent().build()
                : notFound(sequence));
    }

    /** Purges many: {@code which=all} or {@code which=replayed}; required, so a bare DELETE purges nothing. */
    @DELETE
    public Response purgeMany(@Context SecurityContext security, @QueryParam("which") String which) {
        return access.call(security, () -> {
            long purged;
            if ("all".equals(which)) {
                purged = deadLetters.purgeAll();
            } else if ("replayed".equals(which)) {
                purged = deadLetters.purgeReplayed();
            } else {
                throw new IllegalArgumentException("query parameter which must be all or replayed, was " + which);
            }
            return AdminResponses.ok(AdminResponses.json().createObjectBuilder().add("purged", purged).build());
        });
    }

    private Response notFound(long sequence) {
        return AdminResponses.error(Response.Status.NOT_FOUND, "no dead letter at sequence " + sequence + " on "
                + deadLetters.subject());
    }
}
