package io.jetstreambridge.core.publish;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.envelope.EnvelopeFactory;
import io.nats.client.Connection;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.spi.JsonProvider;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Builds the publisher engine the way the CDI producer does, for tests without a container. */
final class Publishers {

    static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-publisher");
        t.setDaemon(true);
        return t;
    });

    private Publishers() {
    }

    static DirectPublisher create(Connection connection, BridgeConfig config) {
        JsonProvider json = JsonProvider.provider();
        return DirectPublisher.builder().connection(connection).peers(config.peers())
                .settings(config.publish()).envelopes(new EnvelopeFactory(config.appName(), Clock.systemUTC()))
                .codec(new EnvelopeCodec(json)).payloads(new PayloadMapper(JsonbBuilder.create(), json))
                .executor(EXECUTOR)
                .build();
    }
}
