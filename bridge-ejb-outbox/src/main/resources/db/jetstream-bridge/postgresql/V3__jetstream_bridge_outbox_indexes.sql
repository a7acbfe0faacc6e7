-- JetStream Bridge outbox: only the indexes the default configuration uses (PostgreSQL 12+).
-- Every index costs each insert, and each update of an indexed column (status) writes a new row version into all of
-- them. By default (outbox.sent-rows=delete) the relay deletes a row once JetStream acknowledged it, so the table
-- holds unfinished rows only: the retention index (sent rows by age) and the per-resource index
-- (outbox.ordering=resource) go; both are optional scripts in db/jetstream-bridge-optional/postgresql (docs/schema.md).
DROP INDEX jetstream_bridge_outbox_events_resource;
DROP INDEX jetstream_bridge_outbox_events_retention;
-- the relay's claim reads pending rows only, longest due first (its ORDER BY next_attempt_at, id): a partial index
-- holds no sent or failed row, and marking a row sent (outbox.sent-rows=keep) adds no entry to it. Same columns as
-- on the other databases (and the entity's @Index), status included.
DROP INDEX jetstream_bridge_outbox_events_claim;
CREATE INDEX jetstream_bridge_outbox_events_claim ON jetstream_bridge_outbox_events (status, next_attempt_at, id) WHERE status = 'pending';
