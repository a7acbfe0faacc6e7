-- JetStream Bridge outbox, optional: needed with outbox.ordering=resource (after V3). The relay's claim then looks for
-- an older unfinished row of the same resource (type, id) for every candidate row; without this index each look-up
-- reads the table. Not a Flyway migration: run it once, by hand or from a migration of your own (docs/schema.md).
CREATE INDEX jetstream_bridge_outbox_events_resource ON jetstream_bridge_outbox_events (resource_type, resource_id, id);
