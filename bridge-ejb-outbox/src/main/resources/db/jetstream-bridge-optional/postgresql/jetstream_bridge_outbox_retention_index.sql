-- JetStream Bridge outbox, optional: needed with outbox.sent-rows=keep (after V3). The retention clean-up finds sent
-- rows by age, and the health check's backlog counts pending and failed rows among the kept ones, by status. Not a
-- Flyway migration: run it once, by hand or from a migration of your own (docs/schema.md).
CREATE INDEX jetstream_bridge_outbox_events_retention ON jetstream_bridge_outbox_events (status, sent_at);
