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
 * Names the {@code EntityManager} the bridge writes its inbox (and outbox) rows with, so they commit atomically
 * with the application's own data. Produce it from the application's persistence unit:
 *
 * <pre>{@code
 * @Produces @BridgePersistence @PersistenceContext(unitName = "orders")
 * EntityManager bridgeEntityManager;
 * }</pre>
 *
 * Without such a producer the bridge uses the application's {@code @Default} {@code EntityManager} bean, if it
 * has one.
 */
@Qualifier
@Documented
@Retention(RUNTIME)
@Target({METHOD, FIELD, PARAMETER, TYPE})
public @interface BridgePersistence {

    /** For selecting programmatically. */
    final class Literal extends AnnotationLiteral<BridgePersistence> implements BridgePersistence {

        private static final long serialVersionUID = 1L;

        public static final Literal INSTANCE = new Literal();

        private Literal() {
        }
    }
}
