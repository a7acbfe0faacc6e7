package io.jetstreambridge.cdi;

import io.jetstreambridge.BridgeJsonb;
import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.PayloadSettings;
import io.jetstreambridge.core.log.BridgeLog;
import io.jetstreambridge.core.publish.PayloadMapper;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.spi.JsonProvider;

/**
 * The one {@link PayloadMapper} of an application, for both directions: the direct publisher, the outbox publisher
 * and the consumer's {@code payloadAs}. An application {@code Jsonb} bean qualified {@link BridgeJsonb} wins;
 * otherwise the bridge's own {@code Jsonb} with {@code payload.naming}.
 */
@ApplicationScoped
public class PayloadMapping {

    @Inject
    BridgeConfig config;

    @Inject
    @BridgeJsonb
    Instance<Jsonb> applicationJsonb;

    private PayloadMapper mapper;
    private Jsonb own;

    public synchronized PayloadMapper mapper() {
        if (mapper == null) {
            mapper = create();
        }
        return mapper;
    }

    private PayloadMapper create() {
        JsonProvider json = JsonProvider.provider();
        PayloadSettings.Naming naming = config.payload().naming();
        if (applicationJsonb.isResolvable()) {
            Jsonb jsonb = applicationJsonb.get();
            BridgeLog.payloadJsonbOfApplication(config.appName(), naming == PayloadSettings.Naming.IDENTITY
                    ? null : naming.name().toLowerCase(java.util.Locale.ROOT));
            return PayloadMapper.throughJsonbOnly(jsonb, json);
        }
        if (applicationJsonb.isAmbiguous()) {
            // the container reports it too; this says which qualifier the bridge looked for
            throw new IllegalStateException("more than one @BridgeJsonb Jsonb bean: the bridge needs exactly one");
        }
        own = PayloadMapper.jsonb(naming);
        BridgeLog.payloadNaming(config.appName(), naming.name().toLowerCase(java.util.Locale.ROOT));
        return new PayloadMapper(own, json);
    }

    @PreDestroy
    synchronized void close() {
        if (own != null) {
            try {
                own.close();
            } catch (Exception ignored) {
                // JSON-B holds no external resource worth reporting at shut-down
            }
        }
    }
}
