package io.jetstreambridge.testing;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.filter.RolesAllowedDynamicFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * A real JAX-RS runtime (Jersey on Grizzly, HTTP on a free loopback port) for resource tests, with HTTP Basic
 * authentication against a fixed user list: what a server's security realm does, reduced to what the tests need.
 * Each user's password is {@code {name}-password}. The resources' own checks and status codes are what is tested.
 */
public final class JaxRsServer implements AutoCloseable {

    private final HttpServer server;
    private final URI base;
    // HTTP/1.1: on the client's default h2c upgrade request Grizzly answers without the Content-Type header
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private JaxRsServer(HttpServer server, URI base) {
        this.server = server;
        this.base = base;
    }

    /**
     * @param users              user name to roles
     * @param enforceRolesAllowed also register Jersey's {@code RolesAllowedDynamicFeature}, so {@code @RolesAllowed}
     *                           is enforced by the runtime as Open Liberty does
     * @param resources          resource instances
     */
    public static JaxRsServer start(Map<String, Set<String>> users, boolean enforceRolesAllowed, Object... resources) {
        ResourceConfig config = new ResourceConfig().register(new BasicAuthentication(users));
        if (enforceRolesAllowed) {
            config.register(RolesAllowedDynamicFeature.class);
        }
        for (Object resource : resources) {
            config.register(resource);
        }
        int port = FreePorts.allocate(1)[0];
        URI base = URI.create("http://127.0.0.1:" + port + "/");
        return new JaxRsServer(GrizzlyHttpServerFactory.createHttpServer(base, config), base);
    }

    /** Sends a request as this user (null: anonymous) and returns status and body. */
    public HttpResponse<String> call(String method, String path, String user) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (user != null) {
            String credentials = user + ":" + user + "-password";
            request.header(HttpHeaders.AUTHORIZATION,
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        server.shutdownNow();
    }

    @PreMatching
    @Priority(Priorities.AUTHENTICATION)
    static final class BasicAuthentication implements ContainerRequestFilter {

        private final Map<String, Set<String>> users;

        BasicAuthentication(Map<String, Set<String>> users) {
            this.users = Map.copyOf(users);
        }

        @Override
        public void filter(ContainerRequestContext request) {
            String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
            if (header == null || !header.startsWith("Basic ")) {
                return; // anonymous
            }
            String[] credentials = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8)
                    .split(":", 2);
            Set<String> roles = users.get(credentials[0]);
            if (roles == null || credentials.length < 2 || !credentials[1].equals(credentials[0] + "-password")) {
                request.abortWith(Response.status(Response.Status.UNAUTHORIZED).build());
                return;
            }
            Principal principal = () -> credentials[0];
            request.setSecurityContext(new SecurityContext() {
                @Override
                public Principal getUserPrincipal() {
                    return principal;
                }

                @Override
                public boolean isUserInRole(String role) {
                    return roles.contains(role);
                }

                @Override
                public boolean isSecure() {
                    return false;
                }

                @Override
                public String getAuthenticationScheme() {
                    return SecurityContext.BASIC_AUTH;
                }
            });
        }
    }
}
