package io.jetstreambridge.testing.cdi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configuration the CDI tests give the bridge: the application under test is {@code orders}, publishing to and
 * consuming from {@code billing} (the other application, {@code io.jetstreambridge.testing.BillingApp}). Each
 * method returns a new map; a test adds or overrides its own keys with a further {@code config(...)}, since
 * {@link JtaContainer.Builder#config(Map)} adds to what the builder has.
 *
 * <pre>{@code
 * JtaContainer container = JtaContainer.builder().jpa(TABLES.jpa()).withConsumer()
 *         .beanClasses(InvoiceObserver.class)
 *         .config(BridgeContainers.consumingWithInbox(NATS.url()))
 *         .config("jetstream.bridge.consumer.max-deliver", "3").start();
 * }</pre>
 */
public final class BridgeContainers {

    /** The application under test. */
    public static final String APP = "orders";
    /** The application it exchanges events with. */
    public static final String DESTINATION = "billing";

    private BridgeContainers() {
    }

    /** {@code orders} to {@code billing} over the given NATS URLs, everything else at its default. */
    public static Map<String, String> orders(String natsUrls) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("jetstream.bridge.app-name", APP);
        config.put("jetstream.bridge.destination-app", DESTINATION);
        config.put("jetstream.bridge.nats.urls", natsUrls);
        return config;
    }

    /** {@link #orders(String)} publishing only: the consumer off (a container without JTA has no consumer). */
    public static Map<String, String> publishingOnly(String natsUrls) {
        Map<String, String> config = orders(natsUrls);
        config.put("jetstream.bridge.consumer.enabled", "false");
        return config;
    }

    /** {@link #orders(String)} consuming with a 200 ms fetch timeout, the inbox off. */
    public static Map<String, String> consuming(String natsUrls) {
        Map<String, String> config = orders(natsUrls);
        config.put("jetstream.bridge.consumer.fetch-timeout", "200ms");
        return config;
    }

    /** {@link #consuming(String)} with the inbox on. */
    public static Map<String, String> consumingWithInbox(String natsUrls) {
        Map<String, String> config = consuming(natsUrls);
        config.put("jetstream.bridge.inbox.enabled", "true");
        return config;
    }

    /** {@link #publishingOnly(String)} through the outbox. */
    public static Map<String, String> outboxOnly(String natsUrls) {
        Map<String, String> config = publishingOnly(natsUrls);
        config.put("jetstream.bridge.outbox.enabled", "true");
        return config;
    }

    /** A NATS URL on the loopback interface where nothing listens (a port free a moment ago). */
    public static String unreachableNatsUrl() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "nats://127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
