package io.jetstreambridge.core.consume;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.envelope.EnvelopeFactory;
import io.jetstreambridge.core.publish.DirectPublisher;
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

    static DirectPublisher publisher(Connection connection, BridgeConfig config) {
        JsonProvider json = JsonProvider.provider();
        return DirectPublisher.builder().connection(connection).topology(config.topology())
                .settings(config.publish()).envelopes(new EnvelopeFactory(config.appName(), Clock.systemUTC()))
                .codec(new EnvelopeCodec(json)).payloads(new PayloadMapper(JsonbBuilder.create(), json))
                .executor(ForkJoinPool.commonPool())
                .build();
    }
}
