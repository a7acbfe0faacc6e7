package io.jetstreambridge.testing.capacity;

/**
 * Every key of {@code docs/scaling-costs.properties}, once, with what it means: the bench writes them
 * ({@code io.jetstreambridge.bench.ScalingCosts}), {@link CapacityModel} reads them, and the file's header comment
 * is made from these descriptions. A key keeps its name and meaning; a new measurement gets a new key.
 *
 * <p>Per event means per event that went all the way through the part. The bench's business transaction writes one
 * event, so per commit and per event are the same on the producing side.
 */
public enum CostKey {

    // the run
    RUN_MODE("run.mode", "", "bench mode of the run the figures come from: full or quick"),
    RUN_STARTED("run.started", "", "when that run started (UTC)"),
    RUN_CORES("run.cores", "cores", "cores of the machine the run measured on (every party shared them)"),
    RUN_PROVIDER("run.provider", "", "JPA provider of the B3 runs the producing side's figures come from"),

    // CPU per event, by party
    WRITER_CPU("writer.cpu_us", "µs", "the writer's business transaction in the application JVM, without "
            + "publishing (B3 writers alone, per commit)"),
    RELAY_CPU("relay.cpu_us", "µs", "what publishing through the outbox adds in the producing JVM: the outbox row "
            + "in the writer's transaction and the relay's fast path (claim, publish, ack, delete) (B3p JVM minus "
            + "writer.cpu_us)"),
    RELAY_DRAIN_CPU("relay.drain.cpu_us", "µs", "the relay alone draining a backlog in rounds of "
            + "outbox.relay.batch-size (B2 JVM)"),
    NATS_STORE_CPU("nats.store.cpu_us", "µs", "nats-server per stored message, pipelined raw publishes with "
            + "Nats-Msg-Id to a file stream, the server saturated (B0 publishAsync rounds)"),
    NATS_STORE_ROUNDS_CPU("nats.store.rounds.cpu_us", "µs", "nats-server per stored message from the relay in full "
            + "rounds of outbox.relay.batch-size (B2)"),
    NATS_DELIVER_CPU("nats.deliver.cpu_us", "µs", "nats-server per message delivered to a pull consumer and acked, "
            + "raw fetch(500) + ack (B0 and B4's raw runs)"),
    NATS_STORE_INFLOW_CPU("nats.store.inflow.cpu_us", "µs", "nats-server per event on the producing side at the "
            + "flow's rate, the relay's rounds as they come (B3p)"),
    NATS_DELIVER_INFLOW_CPU("nats.deliver.inflow.cpu_us", "µs", "nats-server per event delivered to the bridge's "
            + "consumer and acked (B4 defaults)"),
    CONSUMER_CPU("consumer.cpu_us", "µs", "the consuming JVM: fetch, decode, inbox, observer, ack (B4 defaults)"),
    CONSUMER_INFLOW_CPU("consumer.inflow.cpu_us", "µs", "the consumer in the flow (batch 100, concurrency 2): "
            + "B3 JVM minus B3p JVM, a difference of two medians, so noisier"),
    PG_WRITER_CPU("pg.writer.cpu_us", "µs", "PostgreSQL per business commit without publishing (B3 writers alone)"),
    PG_PRODUCER_CPU("pg.producer.cpu_us", "µs", "PostgreSQL per event on the producing side: the writer's "
            + "transaction with its outbox row, the relay's claim and delete (B3p)"),
    PG_CONSUMER_CPU("pg.consumer.cpu_us", "µs", "PostgreSQL per event on the consuming side: inbox lookup, insert, "
            + "commit per batch (B4 defaults)"),
    PG_WRITER_SERVER("pg.writer.server_us", "µs", "statements' server time per business commit without publishing "
            + "(pg_stat_statements, B3 writers alone)"),
    PG_PRODUCER_SERVER("pg.producer.server_us", "µs", "statements' server time per event, producing side "
            + "(pg_stat_statements, B3p)"),
    PG_CONSUMER_SERVER("pg.consumer.server_us", "µs", "statements' server time per event, consuming side "
            + "(pg_stat_statements, B4 defaults)"),

    // round trips per event
    PG_PRODUCER_STATEMENTS("pg.producer.statements", "per event", "statements executed per event on the "
            + "producing side, counted by pg_stat_statements (B3p); a JDBC batch counts one per row"),
    WRITER_STATEMENTS("writer.statements", "per event", "of those, the writer's transaction's (all but the relay's "
            + "SELECT and DELETE on the outbox table)"),
    RELAY_ROUNDS("relay.rounds", "per event", "relay rounds per event: the relay's claims (SELECT on the outbox "
            + "table) counted by pg_stat_statements (B3p); each round is one transaction and one wait for acks"),
    PG_PRODUCER_COMMITS("pg.producer.commits", "per event", "commits per event on the producing side: 1 business "
            + "commit (the bench writes one event per transaction) + relay.rounds (from the code: one transaction "
            + "per round)"),
    PG_CONSUMER_STATEMENTS("pg.consumer.statements", "per event", "statements per event on the consuming side, "
            + "counted by pg_stat_statements (B4 defaults); the inbox insert is one JDBC batch per batch, counted "
            + "per row"),
    CONSUMER_BATCHES("consumer.batches", "per event", "consumer batches per event: the inbox's claim SELECT per "
            + "batch counted by pg_stat_statements (B4 defaults)"),
    PG_CONSUMER_COMMITS("pg.consumer.commits", "per event", "commits per event on the consuming side: one per "
            + "batch (from the code), = consumer.batches"),
    PG_CONSUMER_ROUND_TRIPS("pg.consumer.round_trips", "per event", "database round trips per event on the "
            + "consuming side: per batch the claim SELECT, the insert batch and the commit (from the code) × "
            + "consumer.batches"),
    PG_PRODUCER_ROUND_TRIPS("pg.producer.round_trips", "per event", "database round trips per event on the "
            + "producing side: writer.statements + 1 commit, and per relay round claim, delete and commit (from the "
            + "code) × relay.rounds"),
    NATS_PRODUCER_REQUESTS("nats.producer.requests", "per event", "NATS requests per event from the relay: one "
            + "pipelined publish each (from the code); its ack waits are relay.rounds"),
    NATS_CONSUMER_REQUESTS("nats.consumer.requests", "per event", "pull requests per event: one per batch while a "
            + "backlog lasts, two when a batch starts with a lone message (from the code) × consumer.batches"),
    NATS_CONSUMER_ACKS("nats.consumer.acks", "per event", "acks per event: one each, sent without waiting (from the "
            + "code)"),

    // latency
    WRITER_TX_MS("writer.tx_ms", "ms", "one business transaction's time, writers alone: bench writers / their "
            + "commits per second (Little's law)"),

    // settings the figures were taken with (library defaults)
    OUTBOX_BATCH("setting.outbox.batch_size", "rows", "outbox.relay.batch-size: most rows per relay round"),
    PUBLISH_WINDOW("setting.publish.async_window", "messages", "publish.async-window: publishes in flight per relay"),
    CONSUMER_BATCH("setting.consumer.batch_size", "messages", "consumer.batch-size (B4 defaults)"),
    CONSUMER_CONCURRENCY("setting.consumer.concurrency", "workers", "consumer.concurrency (B4 defaults)"),
    BENCH_WRITERS("setting.bench.writers", "threads", "writer threads of B3/B3p"),

    // replicas 3
    R3_LEADER_FACTOR("nats.r3.leader_factor", "×", "a stream leader's CPU per message with replicas 3 over replicas 1"),
    R3_FOLLOWER_FACTOR("nats.r3.follower_factor", "×", "each follower's CPU per message with replicas 3 over the "
            + "replicas-1 leader's"),
    R3_SOURCE("nats.r3.source", "", "where the two factors come from: stated (the R3 part did not run), or "
            + "measured and how"),

    // measured rates, to check a forecast against
    RATE_WRITERS("rate.writers", "/s", "B3 business commits per second, writers alone"),
    RATE_PRODUCER("rate.producer", "/s", "B3p events per second, producer side alone"),
    RATE_END_TO_END("rate.end_to_end", "/s", "B3 events per second end to end"),
    RATE_RELAY_DRAIN("rate.relay_drain", "/s", "B2 relay drain, rows per second"),
    RATE_CONSUMER("rate.consumer", "/s", "B4 defaults, events per second"),
    END_TO_END_CPU("end_to_end.cpu_us", "µs", "all parties' CPU per event in B3 end to end (JVM + PostgreSQL + "
            + "nats-server)"),
    END_TO_END_BUSY("end_to_end.busy_cores", "cores", "cores busy during B3 end to end");

    private final String key;
    private final String unit;
    private final String description;

    CostKey(String key, String unit, String description) {
        this.key = key;
        this.unit = unit;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public String unit() {
        return unit;
    }

    public String description() {
        return description;
    }
}
