-- JetStream Bridge outbox: only the indexes the default configuration uses (H2 2.x).
-- Every index costs each insert and each update of an indexed column (status). By default (outbox.sent-rows=delete)
-- the relay deletes a row once JetStream acknowledged it: the retention index (sent rows by age) and the
-- per-resource index (outbox.ordering=resource) go; both are optional scripts in db/jetstream-bridge-optional/h2
-- (docs/schema.md). The claim index (status, next_attempt_at, id) stays (no partial indexes here).
DROP INDEX jetstream_bridge_outbox_events_resource;
DROP INDEX jetstream_bridge_outbox_events_retention;
