package io.jetstreambridge.cdi;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.envelope.EnvelopeFactory;
import io.jetstreambridge.publish.Publisher;
import io.jetstreambridge.core.publish.JetStreamPublisher;
import io.jetstreambridge.core.telemetry.BridgeTelemetry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.json.spi.JsonProvider;

import java.time.Clock;

/**
 * Makes {@code @Inject Publisher} publish straight to JetStream, or, with the outbox on, through the
 * {@link TransactionalPublishing} the outbox module provides.
 */
@ApplicationScoped
public class DirectPublisherProducer {

    @Inject
    BridgeRuntime runtime;

    @Inject
    BridgeConfig config;

    @Inject
    ManagedExecutors executors;

    @Inject
    Instance<TransactionalPublishing> outbox;

    @Inject
    Instance<BridgeTelemetry> telemetry;

    @Inject
    PayloadMapping payloads;

    @Produces
    @ApplicationScoped
    Publisher publisher() {
        JsonProvider json = JsonProvider.provider();
        if (config.outbox().enabled()) {
            return outbox.get().publisher();
        }
        return JetStreamPublisher.builder().connection(runtime.connection()).topology(config.topology())
                .settings(config.publish()).envelopes(new EnvelopeFactory(config.appName(), Clock.systemUTC()))
                .codec(new EnvelopeCodec(json)).payloads(payloads.mapper()).executor(executors.executor())
                .telemetry(BridgeTelemetryProducer.of(telemetry))
                .build();
    }
}
