package io.jetstreambridge.bench;

import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.cdi.JtaContainer;
import io.nats.client.Connection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * B4: the consumer with the inbox on PostgreSQL. The events are in the stream before the application starts; the
 * rate is taken between the first and the last event the observer sees, so start-up does not count. Raw jnats fetches
 * and acks fresh messages right before each setting: its ratio is taken against that figure.
 */
final class ConsumerBench {

    record Setting(String name, int batchSize, int concurrency, boolean perMessage) {
        /** Tells the settings apart in message ids: the batch size alone does not (the defaults share one). */
        String key() {
            return batchSize + "x" + concurrency;
        }
    }

    /**
     * @param rawFetchAck raw jnats fetch + ack per second, measured right before this setting
     * @param usage       CPU per process and server time per statement from just after the container started until
     *                    the last event was seen
     */
    record Result(Setting setting, int events, double perSecond, double rawFetchAck, Usage usage) {
    }

    private record Consumed(double perSecond, Usage usage) {
    }

    static final List<Setting> SETTINGS = List.of(
            new Setting("one transaction per message (batch-size 1)", 1, 1, true),
            defaults(),
            new Setting("batch-size 100, concurrency 2", 100, 2, false),
            new Setting("batch-size 500, concurrency 2", 500, 2, false));

    /** The library's defaults as {@code ConfigKey} gives them, so this row follows a change of default. */
    private static Setting defaults() {
        int batchSize = Integer.parseInt(ConfigKey.CONSUMER_BATCH_SIZE.defaultValue());
        int concurrency = Integer.parseInt(ConfigKey.CONSUMER_CONCURRENCY.defaultValue());
        return new Setting("defaults (batch-size " + batchSize + ", concurrency " + concurrency + ")",
                batchSize, concurrency, false);
    }

    private final BenchDatabase database;
    private final JpaHarness jpa;
    private final Connection connection;
    private final PublisherBench source;
    private final String natsUrl;
    private final String stream;
    private final RawBaselines raw;

    ConsumerBench(BenchDatabase database, JpaHarness jpa, Connection connection, PublisherBench source,
                  String natsUrl, String stream, RawBaselines raw) {
        this.database = database;
        this.raw = raw;
        this.jpa = jpa;
        this.connection = connection;
        this.source = source;
        this.natsUrl = natsUrl;
        this.stream = stream;
    }

    List<Result> run(BenchSettings settings) throws Exception {
        List<Result> results = new ArrayList<>();
        for (Setting setting : SETTINGS) {
            int events = setting.perMessage() ? settings.perMessageEvents() : settings.consumerEvents();
            // at least the batched settings' count, so the raw figure is not taken over a few milliseconds
            // message ids unique per setting: two settings of one batch size would otherwise publish ids the
            // stream's duplicate window still holds, and JetStream would drop every message of the second
            double rawFetchAck = raw.fetchAndAckFresh("b4-raw-" + setting.key() + "-",
                    Math.max(events, settings.consumerEvents()));
            Consumed consumed = consume(setting, events);
            results.add(new Result(setting, events, consumed.perSecond(), rawFetchAck, consumed.usage()));
        }
        return results;
    }

    private Consumed consume(Setting setting, int events) throws Exception {
        BenchApp.reset(connection, jpa, stream);
        source.publishAll(events, "b4-" + setting.key());
        Map<String, String> config = BenchApp.baseConfig(natsUrl);
        config.put("jetstream.bridge.consumer.batch-size", String.valueOf(setting.batchSize()));
        config.put("jetstream.bridge.consumer.concurrency", String.valueOf(setting.concurrency()));
        JtaContainer app = BenchApp.start(jpa, config);
        BenchDatabase.Probe probe = database.begin();
        try {
            BenchSink sink = app.select(BenchSink.class);
            if (!BenchApp.waitFor(() -> sink.seen() >= events, Duration.ofMinutes(10))) {
                throw new IllegalStateException("B4 " + setting.name() + ": only " + sink.seen() + " of " + events
                        + " events arrived");
            }
            return new Consumed(sink.rate(), probe.end(events));
        } finally {
            app.close();
        }
    }
}
