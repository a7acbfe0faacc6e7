package io.jetstreambridge;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Names the {@code Jsonb} the bridge maps event payloads with, in both directions: what {@code publish(type, bean)}
 * and the outbox write, and what {@code JetstreamEvent.payloadAs} reads. Produce it with the application's own
 * configuration (naming, adapters, serializers, date formats):
 *
 * <pre>{@code
 * @Produces @BridgeJsonb @ApplicationScoped
 * Jsonb bridgeJsonb() {
 *     return JsonbBuilder.create(new JsonbConfig()
 *             .withPropertyNamingStrategy(PropertyNamingStrategy.LOWER_CASE_WITH_UNDERSCORES));
 * }
 * }</pre>
 *
 * Such a bean wins over {@code jetstream.bridge.payload.naming}; every payload that is not already JSON-P or raw
 * JSON then goes through it (the bridge's direct JSON-P path for maps, lists and plain values steps aside, since it
 * cannot know the bean's configuration). The application owns the bean: the bridge never closes it.
 */
@Qualifier
@Documented
@Retention(RUNTIME)
@Target({METHOD, FIELD, PARAMETER, TYPE})
public @interface BridgeJsonb {

    /** For selecting programmatically. */
    final class Literal extends AnnotationLiteral<BridgeJsonb> implements BridgeJsonb {

        private static final long serialVersionUID = 1L;

        public static final Literal INSTANCE = new Literal();

        private Literal() {
        }
    }
}
