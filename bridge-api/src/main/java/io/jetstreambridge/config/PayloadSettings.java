package io.jetstreambridge.config;

import java.util.Objects;

/**
 * How event payloads are mapped to and from JSON, the same way in both directions (publishing and
 * {@code JetstreamEvent.payloadAs}). An application {@code Jsonb} bean qualified {@code @BridgeJsonb} replaces
 * this setting.
 *
 * @param naming how Java property names become JSON names
 */
public record PayloadSettings(Naming naming) {

    public PayloadSettings {
        Objects.requireNonNull(naming, "naming");
    }

    /**
     * The property naming strategies of JSON-B ({@code jakarta.json.bind.config.PropertyNamingStrategy}), named
     * as the ecosystems that expect them call them: a Rails application reads {@code order_id} ({@code snake_case})
     * where a Java bean has {@code orderId}. Each one is used both ways, so a record or bean comes back as it went out.
     */
    public enum Naming {
        /** Property names as they are in Java: {@code orderId}. */
        IDENTITY("IDENTITY"),
        /** {@code order_id}. */
        SNAKE_CASE("LOWER_CASE_WITH_UNDERSCORES"),
        /** {@code order-id}. */
        KEBAB_CASE("LOWER_CASE_WITH_DASHES"),
        /** {@code OrderId}. */
        UPPER_CAMEL_CASE("UPPER_CAMEL_CASE"),
        /** {@code Order Id}. */
        UPPER_CAMEL_CASE_WITH_SPACES("UPPER_CAMEL_CASE_WITH_SPACES");
        // JSON-B's CASE_INSENSITIVE is left out on purpose: Yasson 3.0 (Liberty's and WildFly's JSON-B) fails with
        // an internal error reading a record with it (PayloadMapperTest); an application that wants it produces a
        // @BridgeJsonb Jsonb.

        private final String jsonbStrategy;

        Naming(String jsonbStrategy) {
            this.jsonbStrategy = jsonbStrategy;
        }

        /** The {@code PropertyNamingStrategy} constant to give {@code JsonbConfig.withPropertyNamingStrategy}. */
        public String jsonbStrategy() {
            return jsonbStrategy;
        }
    }
}
