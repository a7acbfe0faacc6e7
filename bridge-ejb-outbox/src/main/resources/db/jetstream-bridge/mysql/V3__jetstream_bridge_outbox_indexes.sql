-- JetStream Bridge outbox: only the indexes the default configuration uses (MySQL 8, MariaDB 10.6+).
-- Every index costs each insert, and each update of an indexed column (status) rewrites entries in all of them. By
-- default (outbox.sent-rows=delete) the relay deletes a row once JetStream acknowledged it: the retention index
-- (sent rows by age) and the per-resource index (outbox.ordering=resource) go; both are optional scripts in
-- db/jetstream-bridge-optional/mysql (docs/schema.md). The claim index (status, next_attempt_at, id) stays: InnoDB
-- has no partial indexes, and its status column keeps the claim's locking read on pending rows in claim order.
DROP INDEX jetstream_bridge_outbox_events_resource ON jetstream_bridge_outbox_events;
DROP INDEX jetstream_bridge_outbox_events_retention ON jetstream_bridge_outbox_events;
