package io.jetstreambridge.cdi;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.envelope.EnvelopeFactory;
import io.jetstreambridge.publish.Publisher;
import io.jetstreambridge.core.publish.DirectPublisher;
import io.jetstreambridge.core.telemetry.BridgeTelemetry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.json.spi.JsonProvider;

import java.time.Clock;

/**
 * The one place that decides which {@link Publisher} {@code @Inject Publisher} is: with
 * {@code jetstream.bridge.outbox.enabled} the transactional one the outbox module registers as
 * {@link TransactionalPublishing} ({@link BridgeExtension} fails the deployment when the module is missing), else the
 * direct one, which publishes straight to JetStream.
 */
@ApplicationScoped
public class PublisherProducer {

    @Inject
    BridgeRuntime runtime;

    @Inject
    BridgeConfig config;

    @Inject
    ManagedExecutors executors;

    @Inject
    Instance<TransactionalPublishing> transactional;

    @Inject
    Instance<BridgeTelemetry> telemetry;

    @Inject
    PayloadMapping payloads;

    @Produces
    @ApplicationScoped
    Publisher publisher() {
        return config.outbox().enabled() ? transactional.get().publisher() : direct();
    }

    /** Publishes on the bridge's connection, each event acknowledged by the stream before the call returns. */
    private Publisher direct() {
        return DirectPublisher.builder().connection(runtime.connection()).peers(config.peers())
                .settings(config.publish()).envelopes(new EnvelopeFactory(config.appName(), Clock.systemUTC()))
                .codec(new EnvelopeCodec(JsonProvider.provider())).payloads(payloads.mapper())
                .executor(executors.executor()).telemetry(BridgeTelemetryProducer.of(telemetry))
                .build();
    }
}
