/**
 * A Jakarta EE server's transactions and persistence, for tests without a server: CDI (Weld SE), JTA (Narayana), and
 * a JTA-enlisted JPA EntityManager (EclipseLink) on a real database (PostgreSQL, H2 or Derby).
 *
 * <ul>
 *   <li>{@link io.jetstreambridge.testing.jta.TestDatabase}: an isolated database (PostgreSQL schema, in-memory H2
 *       or Derby), its plain JDBC access, its JTA DataSource, DDL scripts, cleanup;</li>
 *   <li>{@link io.jetstreambridge.testing.jta.JpaHarness}: EclipseLink in JTA mode over it, with a programmatic
 *       persistence unit ({@code .entities(...)}, {@code .ddl(...)}) and a transaction-scoped EntityManager;</li>
 *   <li>{@link io.jetstreambridge.testing.cdi.JtaContainer}: Weld SE with MicroProfile Config, Narayana's
 *       {@code TransactionManager}, {@code TransactionSynchronizationRegistry}, {@code @Transactional} and
 *       {@code @TransactionScoped}, the built-in {@code UserTransaction}, transactional observers, and the harness's
 *       {@code EntityManager} for {@code @Inject} and {@code @PersistenceContext};</li>
 *   <li>{@link io.jetstreambridge.testing.jta.Narayana}: the JVM's transaction manager, its object store under
 *       {@code target/narayana}.</li>
 * </ul>
 *
 * <pre>{@code
 * JpaHarness jpa = JpaHarness.builder()
 *         .database(TestDatabase.postgres())
 *         .entities(InboxEvent.class)
 *         .ddlResource("db/inbox-postgresql.sql")
 *         .start();
 * JtaContainer cdi = JtaContainer.builder().jpa(jpa).beanClasses(InboxService.class).start();
 * ...
 * cdi.close();   // the container first,
 * jpa.close();   // then the persistence unit and the database
 * }</pre>
 *
 * <p>A module that reuses this package through the {@code bridge-cdi} test-jar declares, in test scope (versions
 * come from the parent's dependency management): {@code org.jboss.narayana.jta:narayana-jta},
 * {@code org.jboss.weld.module:weld-jta}, {@code io.agroal:agroal-pool}, {@code io.agroal:agroal-narayana},
 * {@code org.eclipse.persistence:org.eclipse.persistence.jpa}, the JDBC drivers it uses
 * ({@code org.postgresql:postgresql}, {@code com.h2database:h2}, {@code org.apache.derby:derby} and
 * {@code derbytools}), and what {@code bridge-cdi} already has for CDI tests ({@code weld-se-core},
 * {@code smallrye-config}, {@code parsson}, {@code yasson}); the Jakarta EE API stays {@code provided}.
 */
package io.jetstreambridge.testing.jta;
