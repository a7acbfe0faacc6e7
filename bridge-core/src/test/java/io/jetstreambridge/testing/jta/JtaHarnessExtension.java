package io.jetstreambridge.testing.jta;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessBean;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * Adds the harness's JPA beans to the container: {@code @Default EntityManager} (the transaction-scoped proxy of
 * {@link JpaHarness#entityManager()}) and {@code @Default EntityManagerFactory} — each only when the application's
 * beans do not already provide one with the default qualifier (an application producer wins, as it would in a
 * server).
 */
public final class JtaHarnessExtension implements Extension {

    private final JpaHarness jpa;
    private boolean applicationEntityManager;
    private boolean applicationEntityManagerFactory;

    public JtaHarnessExtension(JpaHarness jpa) {
        this.jpa = jpa;
    }

    void seeBean(@Observes ProcessBean<?> event) {
        Bean<?> bean = event.getBean();
        if (!isDefault(bean)) {
            return;
        }
        for (Type type : bean.getTypes()) {
            applicationEntityManager |= type == EntityManager.class;
            applicationEntityManagerFactory |= type == EntityManagerFactory.class;
        }
    }

    void addBeans(@Observes AfterBeanDiscovery event) {
        if (jpa == null) {
            return;
        }
        if (!applicationEntityManager) {
            event.addBean()
                    .beanClass(JpaHarness.class)
                    .types(EntityManager.class, Object.class)
                    .qualifiers(Default.Literal.INSTANCE, jakarta.enterprise.inject.Any.Literal.INSTANCE)
                    .scope(Dependent.class)
                    .createWith(context -> jpa.entityManager());
        }
        if (!applicationEntityManagerFactory) {
            event.addBean()
                    .beanClass(JpaHarness.class)
                    .types(EntityManagerFactory.class, Object.class)
                    .qualifiers(Default.Literal.INSTANCE, jakarta.enterprise.inject.Any.Literal.INSTANCE)
                    .scope(Dependent.class)
                    .createWith(context -> jpa.entityManagerFactory());
        }
    }

    private static boolean isDefault(Bean<?> bean) {
        for (Annotation qualifier : bean.getQualifiers()) {
            if (qualifier.annotationType() == Default.class) {
                return true;
            }
        }
        return false;
    }
}
