package io.jetstreambridge.core.publish;

import jakarta.json.bind.serializer.JsonbSerializer;
import jakarta.json.bind.serializer.SerializationContext;
import jakarta.json.stream.JsonGenerator;

import java.math.BigDecimal;

/** A JSON-B serializer an application might configure: every {@code BigDecimal} as text, as some money APIs want. */
public class DecimalAsText implements JsonbSerializer<BigDecimal> {

    @Override
    public void serialize(BigDecimal value, JsonGenerator generator, SerializationContext context) {
        generator.write(value.toPlainString());
    }
}
