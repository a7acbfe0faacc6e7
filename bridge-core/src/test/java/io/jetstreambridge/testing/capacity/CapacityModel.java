package io.jetstreambridge.testing.capacity;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * docs/scaling.md's capacity model: events per second from the measured per-event costs
 * ({@code docs/scaling-costs.properties}, which the bench writes). In the {@code bridge-core} test-jar so that the
 * bench (which generates the costs and the forecast tables) and the fault suite's scaling run (which checks the
 * forecast against measured runs) use the one model. Each party's capacity is the cores it has divided by its CPU
 * per event; where a party waits instead (a relay round's acks, a consumer batch's fetch and transaction, a
 * writer's commit), its limit is the work in flight divided by the round trip. The forecast is the smallest limit, and its name is the
 * first bottleneck.
 *
 * <p>nats-server's cost per message falls as the messages come in larger bursts, so it has three figures
 * ({@link NatsFigures}); the forecasts use the in-flow ones (measured at the flow's own rate, the conservative
 * choice) unless a {@link Fleet} asks for another.
 */
public final class CapacityModel {

    /** Limit names, as docs/scaling.md uses them. */
    public static final String SHARED_CPU = "the shared host's cores";
    public static final String PRODUCER_CPU = "producing instances' CPU";
    public static final String CONSUMER_CPU = "consuming instances' CPU";
    public static final String PG_PRODUCER = "producing side's PostgreSQL CPU";
    public static final String PG_CONSUMER = "consuming side's PostgreSQL CPU";
    public static final String PG_SHARED = "PostgreSQL CPU (one server for both sides)";
    public static final String STREAM_LEADER = "the stream leader's CPU";
    public static final String FOLLOWER = "a stream follower's CPU";
    public static final String WRITERS = "the writers' transactions (writers / commit time)";
    public static final String RELAY_ROUNDS = "the relay's rounds (batch / claim, publish window, acks, delete, commit)";
    public static final String CONSUMER_WORKERS = "the consumer's workers (batch / fetch and transaction round trips)";

    /** Which of the measured nats-server costs per message a forecast uses. */
    public enum NatsFigures {
        /** Stored as the relay's fast path sends them at the measured flow (B3p), delivered to the bridge's consumer. */
        IN_FLOW,
        /** Stored from the relay in full rounds of outbox.relay.batch-size (B2), delivered to the bridge's consumer. */
        FULL_ROUNDS,
        /** Raw jnats, pipelined publishes and fetch(500) + ack: the server saturated, its cheapest. */
        RAW
    }

    /** Measured costs, keyed by {@link CostKey}. */
    public record Costs(Map<CostKey, String> values) {

        public Costs {
            values = Map.copyOf(values);
        }

        public double get(CostKey key) {
            String value = values.get(key);
            if (value == null) {
                throw new IllegalArgumentException("no " + key.key() + " in the costs");
            }
            return Double.parseDouble(value);
        }

        public String text(CostKey key) {
            return values.getOrDefault(key, "");
        }

        public static Costs read(Path file) throws IOException {
            try (Reader reader = Files.newBufferedReader(file)) {
                return read(reader);
            }
        }

        public static Costs parse(String text) {
            try {
                return read(new StringReader(text));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private static Costs read(Reader reader) throws IOException {
            Properties properties = new Properties();
            properties.load(reader);
            Map<CostKey, String> values = new EnumMap<>(CostKey.class);
            List<String> missing = new ArrayList<>();
            for (CostKey key : CostKey.values()) {
                String value = properties.getProperty(key.key());
                if (value == null) {
                    missing.add(key.key());
                } else {
                    values.put(key, value.trim());
                }
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("the costs lack " + String.join(", ", missing));
            }
            return new Costs(values);
        }

        /** nats-server per event at the leader with replicas 1: stored and delivered. */
        public double natsPerEvent(NatsFigures figures) {
            return switch (figures) {
                case IN_FLOW -> get(CostKey.NATS_STORE_INFLOW_CPU) + get(CostKey.NATS_DELIVER_INFLOW_CPU);
                case FULL_ROUNDS -> get(CostKey.NATS_STORE_ROUNDS_CPU) + get(CostKey.NATS_DELIVER_INFLOW_CPU);
                case RAW -> get(CostKey.NATS_STORE_CPU) + get(CostKey.NATS_DELIVER_CPU);
            };
        }

        public double leaderFactor(int replicas) {
            return replicas >= 3 ? get(CostKey.R3_LEADER_FACTOR) : 1;
        }

        public double followerFactor(int replicas) {
            return replicas >= 3 ? get(CostKey.R3_FOLLOWER_FACTOR) : 0;
        }

        /** The publishing JVM per event: the writer's transaction and what the outbox and relay add. */
        public double producerAppCpu() {
            return get(CostKey.WRITER_CPU) + get(CostKey.RELAY_CPU);
        }
    }

    /**
     * A deployment on separate hosts.
     *
     * @param producers          instances of the publishing application, each with its relay (R = producers)
     * @param consumers          instances of the consuming application (all on one durable)
     * @param writersPerInstance threads committing business transactions in each producing instance
     * @param replicas           stream replicas, 1 or 3
     * @param appCores           cores per application instance
     * @param natsCores          cores per nats-server node
     * @param pgProducerCores    cores of the producing application's PostgreSQL
     * @param pgConsumerCores    cores of the consuming application's PostgreSQL; 0: both use the producer's server
     * @param dbRttMs            round trip application - PostgreSQL
     * @param natsRttMs          round trip application - nats-server (leader); replicas 3 add one more to each ack
     * @param consumerConcurrency consumer.concurrency
     * @param consumerBatch      consumer.batch-size
     * @param outboxBatch        outbox.relay.batch-size
     * @param publishWindow      publish.async-window
     * @param natsFigures        which nats-server costs per message
     */
    public record Fleet(int producers, int consumers, int writersPerInstance, int replicas, double appCores,
                        double natsCores, double pgProducerCores, double pgConsumerCores, double dbRttMs,
                        double natsRttMs, int consumerConcurrency, int consumerBatch, int outboxBatch,
                        int publishWindow, NatsFigures natsFigures) {

        /** The library's defaults and the bench's writers, on the given hosts, with in-flow nats-server costs. */
        public static Fleet of(Costs costs, int producers, int consumers, int replicas, double appCores,
                               double natsCores, double pgProducerCores, double pgConsumerCores, double dbRttMs,
                               double natsRttMs) {
            return new Fleet(producers, consumers, (int) costs.get(CostKey.BENCH_WRITERS), replicas, appCores,
                    natsCores, pgProducerCores, pgConsumerCores, dbRttMs, natsRttMs,
                    (int) costs.get(CostKey.CONSUMER_CONCURRENCY), (int) costs.get(CostKey.CONSUMER_BATCH),
                    (int) costs.get(CostKey.OUTBOX_BATCH), (int) costs.get(CostKey.PUBLISH_WINDOW),
                    NatsFigures.IN_FLOW);
        }

        public Fleet withConsumer(int concurrency, int batch) {
            return new Fleet(producers, consumers, writersPerInstance, replicas, appCores, natsCores,
                    pgProducerCores, pgConsumerCores, dbRttMs, natsRttMs, concurrency, batch, outboxBatch,
                    publishWindow, natsFigures);
        }

        public Fleet withWriters(int writers) {
            return new Fleet(producers, consumers, writers, replicas, appCores, natsCores, pgProducerCores,
                    pgConsumerCores, dbRttMs, natsRttMs, consumerConcurrency, consumerBatch, outboxBatch,
                    publishWindow, natsFigures);
        }

        public Fleet with(NatsFigures figures) {
            return new Fleet(producers, consumers, writersPerInstance, replicas, appCores, natsCores,
                    pgProducerCores, pgConsumerCores, dbRttMs, natsRttMs, consumerConcurrency, consumerBatch,
                    outboxBatch, publishWindow, figures);
        }
    }

    /**
     * Everything on one host of {@code hostCores} cores: {@code instances} publishing and as many consuming JVMs,
     * both sides' PostgreSQL and nats-server (one node, or with replicas 3 three nodes), with the settings they run
     * with.
     *
     * @param writersPerInstance threads committing business transactions in each publishing instance
     */
    public record SharedHost(int instances, int replicas, double hostCores, int writersPerInstance,
                             int consumerConcurrency, int consumerBatch, int outboxBatch, int publishWindow) {

        /** The library's defaults and the bench's writers. */
        public static SharedHost of(Costs costs, int instances, int replicas, double hostCores) {
            return new SharedHost(instances, replicas, hostCores, (int) costs.get(CostKey.BENCH_WRITERS),
                    (int) costs.get(CostKey.CONSUMER_CONCURRENCY), (int) costs.get(CostKey.CONSUMER_BATCH),
                    (int) costs.get(CostKey.OUTBOX_BATCH), (int) costs.get(CostKey.PUBLISH_WINDOW));
        }

        public SharedHost withWriters(int writers) {
            return new SharedHost(instances, replicas, hostCores, writers, consumerConcurrency, consumerBatch,
                    outboxBatch, publishWindow);
        }

        public SharedHost withConsumer(int concurrency, int batch) {
            return new SharedHost(instances, replicas, hostCores, writersPerInstance, concurrency, batch,
                    outboxBatch, publishWindow);
        }

        public SharedHost withCores(double cores) {
            return new SharedHost(instances, replicas, cores, writersPerInstance, consumerConcurrency, consumerBatch,
                    outboxBatch, publishWindow);
        }
    }

    /** One party's limit in events per second. */
    public record Limit(String name, double eventsPerSecond) {
    }

    /** The forecast: the smallest limit, and every limit, smallest first. */
    public record Forecast(double eventsPerSecond, String bottleneck, List<Limit> limits) {

        static Forecast of(List<Limit> limits) {
            List<Limit> sorted = new ArrayList<>(limits);
            sorted.sort(Comparator.comparingDouble(Limit::eventsPerSecond));
            return new Forecast(sorted.get(0).eventsPerSecond(), sorted.get(0).name(), List.copyOf(sorted));
        }

        /** The named limit's events per second, or NaN when this forecast has no such limit. */
        public double limit(String name) {
            return limits.stream().filter(l -> l.name().equals(name)).mapToDouble(Limit::eventsPerSecond).findFirst()
                    .orElse(Double.NaN);
        }

        /** The next limit after the first: what the first one's fix runs into. */
        public Limit next() {
            return limits.size() > 1 ? limits.get(1) : limits.get(0);
        }
    }

    private final Costs costs;

    public CapacityModel(Costs costs) {
        this.costs = costs;
    }

    public Costs costs() {
        return costs;
    }

    /**
     * Shared host with the library's defaults and the bench's writers per instance: {@code instances} publishing and
     * {@code instances} consuming JVMs, their PostgreSQL and nats-server all on one machine of {@code hostCores}.
     */
    public Forecast forecast(int instances, int replicas, double hostCores) {
        return forecast(SharedHost.of(costs, instances, replicas, hostCores));
    }

    /**
     * Every party's CPU per event added up, as on a shared host: producing and consuming JVMs, both sides'
     * PostgreSQL, and nats-server (the leader's per-message work × the replicas-3 factor, plus each follower's).
     */
    public double cpuPerEvent(int replicas) {
        double nats = costs.natsPerEvent(NatsFigures.IN_FLOW) * (costs.leaderFactor(replicas)
                + 2 * costs.followerFactor(replicas));
        return costs.producerAppCpu() + costs.get(CostKey.CONSUMER_CPU) + costs.get(CostKey.PG_PRODUCER_CPU)
                + costs.get(CostKey.PG_CONSUMER_CPU) + nats;
    }

    /**
     * Shared host: the smallest of the cores divided by the sum of every party's CPU per event ({@link #cpuPerEvent})
     * and the latency-bound limits, which hold however many cores are free: the writers (each waits for its own
     * transaction, {@code writer.tx_ms}), the relays and the consumer workers (one thread each, so at most one core
     * each; their round trips on one host are loopback ones, taken as zero).
     */
    public Forecast forecast(SharedHost host) {
        List<Limit> limits = new ArrayList<>();
        limits.add(new Limit(SHARED_CPU, perSecond(host.hostCores(), cpuPerEvent(host.replicas()))));
        limits.addAll(waits(host.instances(), host.instances(), host.writersPerInstance(), host.replicas(),
                host.consumerConcurrency(), host.consumerBatch(), host.outboxBatch(), host.publishWindow(), 0, 0));
        return Forecast.of(limits);
    }

    /** Separate hosts: each party on cores of its own, round trips between them. */
    public Forecast forecast(Fleet fleet) {
        List<Limit> limits = new ArrayList<>();
        limits.add(new Limit(PRODUCER_CPU, perSecond(fleet.producers() * fleet.appCores(), costs.producerAppCpu())));
        limits.add(new Limit(CONSUMER_CPU, perSecond(fleet.consumers() * fleet.appCores(),
                costs.get(CostKey.CONSUMER_CPU))));
        double pgProducer = costs.get(CostKey.PG_PRODUCER_CPU);
        double pgConsumer = costs.get(CostKey.PG_CONSUMER_CPU);
        if (fleet.pgConsumerCores() > 0) {
            limits.add(new Limit(PG_PRODUCER, perSecond(fleet.pgProducerCores(), pgProducer)));
            limits.add(new Limit(PG_CONSUMER, perSecond(fleet.pgConsumerCores(), pgConsumer)));
        } else {
            limits.add(new Limit(PG_SHARED, perSecond(fleet.pgProducerCores(), pgProducer + pgConsumer)));
        }
        double nats = costs.natsPerEvent(fleet.natsFigures());
        limits.add(new Limit(STREAM_LEADER, perSecond(fleet.natsCores(), nats * costs.leaderFactor(fleet.replicas()))));
        if (fleet.replicas() >= 3) {
            limits.add(new Limit(FOLLOWER, perSecond(fleet.natsCores(),
                    nats * costs.followerFactor(fleet.replicas()))));
        }
        limits.addAll(waits(fleet.producers(), fleet.consumers(), fleet.writersPerInstance(), fleet.replicas(),
                fleet.consumerConcurrency(), fleet.consumerBatch(), fleet.outboxBatch(), fleet.publishWindow(),
                fleet.dbRttMs(), fleet.natsRttMs()));
        return Forecast.of(limits);
    }

    /**
     * The limits of the parties that wait instead of computing: writers, relay rounds, consumer workers, with round
     * trips of {@code dbRttMs} to PostgreSQL and {@code natsRttMs} to the stream leader.
     */
    private List<Limit> waits(int producers, int consumers, int writersPerInstance, int replicas,
                              int consumerConcurrency, int consumerBatch, int outboxBatch, int publishWindow,
                              double dbRttMs, double natsRttMs) {
        // an ack with replicas 3 waits for a follower too: one more round trip inside the cluster
        double ackRtt = natsRttMs * (replicas >= 3 ? 2 : 1);
        double writerTx = costs.get(CostKey.WRITER_TX_MS) + (costs.get(CostKey.WRITER_STATEMENTS) + 1) * dbRttMs;
        List<Limit> limits = new ArrayList<>();
        limits.add(new Limit(WRITERS, producers * writersPerInstance * 1000.0 / writerTx));
        // a relay round: claim, the publishes in windows (one ack wait per window), delete, commit; one round at a
        // time, on one thread, whose work per row is the drain's (the outbox row's insert is the writers' work)
        double windows = Math.ceil((double) outboxBatch / publishWindow);
        double round = 3 * dbRttMs + windows * ackRtt + outboxBatch * costs.get(CostKey.RELAY_DRAIN_CPU) / 1000;
        limits.add(new Limit(RELAY_ROUNDS, producers * outboxBatch * 1000.0 / round));
        // a consumer batch: one pull, then claim, insert, commit, on one worker thread
        double batch = natsRttMs + 3 * dbRttMs + consumerBatch * costs.get(CostKey.CONSUMER_CPU) / 1000;
        limits.add(new Limit(CONSUMER_WORKERS, consumers * consumerConcurrency * consumerBatch * 1000.0 / batch));
        return limits;
    }

    private static double perSecond(double cores, double microsPerEvent) {
        return microsPerEvent <= 0 ? Double.POSITIVE_INFINITY : cores * 1_000_000 / microsPerEvent;
    }
}
