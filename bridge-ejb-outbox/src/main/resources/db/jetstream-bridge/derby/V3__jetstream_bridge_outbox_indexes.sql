-- JetStream Bridge outbox: only the indexes the default configuration uses (Derby 10.16).
-- Every index costs each insert and each update of an indexed column (status). By default (outbox.sent-rows=delete)
-- the relay deletes a row once JetStream acknowledged it: the retention index (sent rows by age) and the
-- per-resource index (outbox.ordering=resource) go; both are optional scripts in db/jetstream-bridge-optional/derby
-- (docs/schema.md). The claim index (status, next_attempt_at, id) stays (no partial indexes here).
DROP INDEX jetstream_bridge_outbox_events_resource;
DROP INDEX jetstream_bridge_outbox_events_retention;
