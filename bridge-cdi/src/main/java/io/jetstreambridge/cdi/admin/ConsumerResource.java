package io.jetstreambridge.cdi.admin;

import io.jetstreambridge.config.AdminSettings;
import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.cdi.BridgeRuntime;
import io.jetstreambridge.core.deadletter.DeadLetterPublisher;
import io.jetstreambridge.core.consume.MaxDeliveriesWatch;
import io.jetstreambridge.core.health.HealthContribution;
import io.jetstreambridge.core.health.StreamStateProbe;
import io.jetstreambridge.core.telemetry.BridgeTelemetry;
import io.jetstreambridge.topology.Topology;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The stream and durable consumer over HTTP, under the application's JAX-RS root: {@code GET
 * jetstream-bridge/admin/consumer} answers with the keys of the readiness check's stream part ({@link
 * StreamStateProbe}: backlog, and {@code consumer-undeliverable}, the messages the server will not deliver again);
 * {@code POST .../undeliverable/dead-letter} moves those to the DLQ as the MAX_DELIVERIES watch does, for
 * advisories nobody received: those of every peer's durable (the answer counts them per durable). Off unless
 * {@code jetstream.bridge.admin.enabled}; callers need the role {@value AdminSettings#ROLE}. See
 * {@link AdminAccess}.
 */
@Path("jetstream-bridge/admin/consumer")
@RequestScoped
@RolesAllowed(AdminSettings.ROLE)
@Produces(MediaType.APPLICATION_JSON)
public class ConsumerResource {

    static final int MAX_MOVED = 1000;

    private BridgeConfig config;
    private Supplier<Optional<Connection>> connection;
    private AdminAccess access;

    /** For the CDI proxy, and public for RESTEasy (see {@link DeadLetterResource#DeadLetterResource()}). */
    public ConsumerResource() {
    }

    @Inject
    public ConsumerResource(BridgeConfig config, BridgeRuntime bridge) {
        this(config, bridge::currentConnection, new AdminAccess(config.admin()));
    }

    /** Outside CDI (a JAX-RS application that registers instances). */
    public ConsumerResource(BridgeConfig config, Supplier<Optional<Connection>> connection, AdminAccess access) {
        this.config = Objects.requireNonNull(config, "config");
        this.connection = Objects.requireNonNull(connection, "connection");
        this.access = Objects.requireNonNull(access, "access");
    }

    @GET
    public Response state(@Context SecurityContext security) {
        return access.call(security, () -> connected().map(c -> {
            HealthContribution health = new StreamStateProbe(config).inspect(c);
            JsonProvider json = AdminResponses.json();
            JsonArrayBuilder reasons = json.createArrayBuilder();
            health.reasons().forEach(reasons::add);
            JsonObjectBuilder body = json.createObjectBuilder().add("status", health.up() ? "UP" : "DOWN")
                    .add("reasons", reasons);
            health.data().forEach((key, value) -> {
                if (value instanceof Number n) {
                    body.add(key, n.longValue());
                } else if (value instanceof Boolean b) {
                    body.add(key, b);
                } else {
                    body.add(key, String.valueOf(value));
                }
            });
            return AdminResponses.ok(body.build());
        }).orElseGet(ConsumerResource::notConnected));
    }

    @POST
    @Path("undeliverable/dead-letter")
    public Response deadLetterUndeliverable(@Context SecurityContext security,
                                            @QueryParam("limit") @DefaultValue("1000") int limit) {
        return access.call(security, () -> {
            if (limit < 1 || limit > MAX_MOVED) {
                throw new IllegalArgumentException("limit must be 1 to " + MAX_MOVED + ", was " + limit);
            }
            return connected().map(c -> move(c, limit)).orElseGet(ConsumerResource::notConnected);
        });
    }

    /** Every peer's durable in turn, the primary's first, up to {@code limit} messages in all. */
    private Response move(Connection c, int limit) {
        JsonProvider json = AdminResponses.json();
        JsonArrayBuilder sequences = json.createArrayBuilder();
        JsonObjectBuilder byDurable = json.createObjectBuilder();
        int moved = 0;
        for (Topology peer : config.peers().topologies()) {
            try {
                DeadLetterPublisher deadLetters = peer.dlqEnabled()
                        ? new DeadLetterPublisher(c.jetStream(), peer, json, Clock.systemUTC()) : null;
                List<Long> ofPeer = limit > moved ? new MaxDeliveriesWatch(c, peer, deadLetters,
                        new EnvelopeCodec(json), json, BridgeTelemetry.NONE).moveUndeliverable(limit - moved)
                        : List.of();
                ofPeer.forEach(sequences::add);
                byDurable.add(peer.durableName(), ofPeer.size());
                moved += ofPeer.size();
            } catch (IOException | JetStreamApiException e) {
                return AdminResponses.error(Response.Status.SERVICE_UNAVAILABLE,
                        "cannot move the undeliverable messages of '" + peer.durableName() + "'"
                                + (moved > 0 ? " (" + moved + " of other durables were moved)" : "") + ": " + e);
            }
        }
        Topology primary = config.topology();
        return AdminResponses.ok(json.createObjectBuilder().add("moved", moved).add("sequences", sequences)
                .add("durables", byDurable).add("to", primary.dlqEnabled()
                        ? primary.dlqSubject() : "nowhere (the DLQ is off): deleted").build());
    }

    private Optional<Connection> connected() {
        return connection.get().filter(c -> c.getStatus() == Connection.Status.CONNECTED);
    }

    private static Response notConnected() {
        return AdminResponses.error(Response.Status.SERVICE_UNAVAILABLE, "NATS is not connected");
    }
}
