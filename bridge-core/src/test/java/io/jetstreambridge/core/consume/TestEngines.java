package io.jetstreambridge.core.consume;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.envelope.EnvelopeFactory;
import io.jetstreambridge.core.publish.JetStreamPublisher;
import io.jetstreambridge.core.publish.PayloadMapper;
import io.nats.client.Connection;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.spi.JsonProvider;

import java.time.Clock;
import java.util.concurrent.ForkJoinPool;

/** The publishing side of consumer tests: another application publishing to this one. */
final class TestEngines {

    private TestEngines() {
    }

    static JetStreamPublisher publisher(Connection connection, BridgeConfig config) {
        JsonProvider json = JsonProvider.provider();
        return new JetStreamPublisher(connection, config.topology(), config.publish(),
                new EnvelopeFactory(config.appName(), Clock.systemUTC()), new EnvelopeCodec(json),
                new PayloadMapper(JsonbBuilder.create(), json), ForkJoinPool.commonPool());
    }
}
