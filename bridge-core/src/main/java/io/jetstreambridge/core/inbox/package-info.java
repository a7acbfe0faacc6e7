/**
 * The inbox, internal: the entity of the inbox table and the store that claims an event id in the observers'
 * transaction, so an event redelivered after its commit is not handled twice.
 *
 * <p>Internal engine: public only for bridge-cdi, bridge-ejb-outbox and the admin command line; no compatibility promise. Applications name {@code InboxEvent} in their {@code persistence.xml}; its table is described in
 * {@code docs/schema.md}.
 */
package io.jetstreambridge.core.inbox;
