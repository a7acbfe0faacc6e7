package io.jetstreambridge.testing.jta;



import jakarta.annotation.Resource;
import jakarta.enterprise.inject.spi.Annotated;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceContextType;
import jakarta.persistence.PersistenceUnit;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.UserTransaction;
import org.jboss.weld.injection.spi.JpaInjectionServices;
import org.jboss.weld.injection.spi.ResourceInjectionServices;
import org.jboss.weld.injection.spi.ResourceReferenceFactory;
import org.jboss.weld.injection.spi.helpers.SimpleResourceReference;

import javax.sql.DataSource;
import java.lang.reflect.Type;
import java.util.function.Supplier;

/**
 * What a server's naming and persistence services give Weld: {@code @PersistenceContext} and
 * {@code @PersistenceUnit} resolve to the harness's unit, {@code @Resource} to the transaction objects or the JTA
 * DataSource (by the injection point's type, or by the usual JNDI names).
 */
public final class HarnessResourceServices {

    private HarnessResourceServices() {
    }

    /** {@code @PersistenceContext} / {@code @PersistenceUnit}. */
    public static final class Jpa implements JpaInjectionServices {

        private final JpaHarness jpa;

        public Jpa(JpaHarness jpa) {
            this.jpa = jpa;
        }

        @Override
        public ResourceReferenceFactory<EntityManager> registerPersistenceContextInjectionPoint(InjectionPoint ip) {
            PersistenceContext annotation = ip.getAnnotated().getAnnotation(PersistenceContext.class);
            JpaHarness harness = harness(ip, annotation == null ? "" : annotation.unitName());
            if (annotation != null && annotation.type() == PersistenceContextType.EXTENDED) {
                throw new IllegalStateException("extended persistence contexts are not supported: " + ip);
            }
            return () -> new SimpleResourceReference<>(harness.entityManager());
        }

        @Override
        public ResourceReferenceFactory<EntityManagerFactory> registerPersistenceUnitInjectionPoint(InjectionPoint ip) {
            PersistenceUnit annotation = ip.getAnnotated().getAnnotation(PersistenceUnit.class);
            JpaHarness harness = harness(ip, annotation == null ? "" : annotation.unitName());
            return () -> new SimpleResourceReference<>(harness.entityManagerFactory());
        }

        @Override
        public void cleanup() {
        }

        private JpaHarness harness(InjectionPoint ip, String unitName) {
            if (jpa == null) {
                throw new IllegalStateException("no JpaHarness was given to the JtaContainer for " + ip);
            }
            if (!unitName.isEmpty() && !unitName.equals(jpa.unitName())) {
                throw new IllegalStateException("unknown persistence unit '" + unitName + "' (the harness has '"
                        + jpa.unitName() + "') at " + ip);
            }
            return jpa;
        }
    }

    /** {@code @Resource}. */
    public static final class Resources implements ResourceInjectionServices {

        private final JpaHarness jpa;

        public Resources(JpaHarness jpa) {
            this.jpa = jpa;
        }

        @Override
        public ResourceReferenceFactory<Object> registerResourceInjectionPoint(InjectionPoint ip) {
            Annotated annotated = ip.getAnnotated();
            Resource resource = annotated.getAnnotation(Resource.class);
            String name = resource == null ? "" : resource.lookup().isEmpty() ? resource.name() : resource.lookup();
            Supplier<Object> supplier = byName(name);
            if (supplier == null) {
                supplier = byType(ip.getType());
            }
            if (supplier == null) {
                throw new IllegalStateException("the JTA harness has no resource for " + ip);
            }
            Supplier<Object> found = supplier;
            return () -> new SimpleResourceReference<>(found.get());
        }

        @Override
        public ResourceReferenceFactory<Object> registerResourceInjectionPoint(String jndiName, String mappedName) {
            Supplier<Object> supplier = byName(jndiName);
            if (supplier == null) {
                throw new IllegalStateException("the JTA harness has no resource named " + jndiName);
            }
            return () -> new SimpleResourceReference<>(supplier.get());
        }

        @Override
        public void cleanup() {
        }

        private Supplier<Object> byName(String name) {
            return switch (name) {
                case "java:comp/UserTransaction" -> Narayana::userTransaction;
                case "java:comp/TransactionSynchronizationRegistry" -> Narayana::transactionSynchronizationRegistry;
                case "java:/TransactionManager", "java:jboss/TransactionManager", "java:appserver/TransactionManager"
                        -> Narayana::transactionManager;
                default -> null;
            };
        }

        private Supplier<Object> byType(Type type) {
            if (type == UserTransaction.class) {
                return Narayana::userTransaction;
            }
            if (type == TransactionSynchronizationRegistry.class) {
                return Narayana::transactionSynchronizationRegistry;
            }
            if (type == TransactionManager.class) {
                return Narayana::transactionManager;
            }
            if (type == DataSource.class && jpa != null) {
                return jpa::dataSource;
            }
            return null;
        }
    }
}
