/**
 * The transactional outbox's storage and publisher, SPI and internal: {@code OutboxStore} is the narrow persistence
 * SPI (the JPA store implements it; tests and other stores may); the publisher, dialects, detection and
 * {@code OutboxMaintenance} (what operators do with the rows) are internal engines.
 *
 * <p>Engines are public only for bridge-cdi, bridge-ejb-outbox and the admin command line, with no compatibility
 * promise. Applications name {@code OutboxEvent} in their {@code persistence.xml}.
 */
package io.jetstreambridge.core.outbox;
