package io.jetstreambridge.cdi;

import io.jetstreambridge.BridgeJsonb;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.config.PropertyNamingStrategy;

/** An application's own Jsonb for the bridge: upper camel case names, BigDecimal written as text. */
@ApplicationScoped
public class UpperCamelJsonb {

    static volatile boolean disposed;

    @Produces
    @BridgeJsonb
    @ApplicationScoped
    Jsonb bridgeJsonb() {
        disposed = false;
        return JsonbBuilder.create(new JsonbConfig()
                .withPropertyNamingStrategy(PropertyNamingStrategy.UPPER_CAMEL_CASE)
                .withSerializers(new io.jetstreambridge.core.publish.DecimalAsText()));
    }

    void close(@Disposes @BridgeJsonb Jsonb jsonb) throws Exception {
        disposed = true;
        jsonb.close();
    }
}
