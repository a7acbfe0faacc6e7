package io.jetstreambridge.core.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jetstreambridge.config.PayloadSettings;
import io.jetstreambridge.publish.OutgoingEvent;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.spi.JsonProvider;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The mapper builds common payloads straight into JSON-P; the oracle is what it did before: JSON-B's text parsed
 * back. Every payload here must give the same JSON text (and so the same bytes on the wire) both ways, with the
 * default JSON-B and with every {@code payload.naming}; with an application's own {@code Jsonb} the direct path
 * steps aside.
 */
class PayloadMapperTest {

    private Jsonb jsonb = JsonbBuilder.create();
    private PayloadMapper mapper = new PayloadMapper(jsonb, JsonProvider.provider());

    public record Placed(String orderId, Instant placedAt, LocalDate dueOn, OffsetDateTime promisedAt,
                         List<Line> orderLines, BigDecimal totalAmount) {
    }

    /** A bean, as JSON-B reads beans: a public no-argument constructor and properties. */
    public static class Invoice {
        public String invoiceId;
        public LocalDate issuedOn;
        public OffsetDateTime paidAt;
    }

    private static final Placed PLACED = new Placed("O-1", Instant.parse("2026-11-27T09:00:00Z"),
            LocalDate.parse("2026-12-24"), OffsetDateTime.of(2026, 12, 1, 10, 30, 0, 0, ZoneOffset.ofHours(2)),
            List.of(new Line("A-1", 2, 9.5)), new BigDecimal("19.00"));

    public record Line(String sku, int qty, double price) {
    }

    public record Order(String id, List<Line> lines, Map<String, Object> extra) {
    }

    private JsonValue oracle(Object payload) {
        return Json.createReader(new StringReader(jsonb.toJson(payload))).readValue();
    }

    private void sameAsJsonb(Object payload) {
        JsonValue mapped = mapper.toJson(payload);
        JsonValue expected = oracle(payload);
        assertThat(mapped.toString()).as("JSON text of %s", payload).isEqualTo(expected.toString());
        assertThat(mapped).isEqualTo(expected);
    }

    private void useJsonb(Jsonb configured) {
        jsonb = configured;
        mapper = new PayloadMapper(configured, JsonProvider.provider());
    }

    /** Every payload of the tests below. */
    private void everyPayloadSameAsJsonb() {
        scalarsAreWrittenAsJsonbWritesThem();
        mapsAndCollectionsKeepOrderNullsAndNesting();
        valuesJsonbMustWriteStillGoThroughJsonb();
        sameAsJsonb(PLACED);
        sameAsJsonb(Map.of("orderId", "O-1", "placed", PLACED));
    }

    @Test
    void scalarsAreWrittenAsJsonbWritesThem() {
        for (Object scalar : List.of("plain", "quote \" backslash \\ slash / tab \t nl \n ctl \u0001 é € 😀", "",
                true, false, 0, -7, Integer.MAX_VALUE, Long.MIN_VALUE, (short) 12, (byte) -3,
                new BigDecimal("19.990"), new BigDecimal("1E+3"), new BigDecimal("-0.000001"),
                new BigInteger("123456789012345678901234567890"), 0.1, 19.99, 1.0E10, 1.0E-7, -0.0, 1e300,
                Double.MAX_VALUE, Double.MIN_VALUE, 123456789.123)) {
            sameAsJsonb(scalar);
        }
    }

    @Test
    void mapsAndCollectionsKeepOrderNullsAndNesting() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("z", 1);
        nested.put("a", null);
        nested.put("list", Arrays.asList(1, null, "x", List.of(true, 2.5)));
        nested.put("set", new LinkedHashSet<>(List.of("b", "a")));
        nested.put("tree", new TreeMap<>(Map.of("k2", 2L, "k1", new BigDecimal("1.50"))));
        nested.put("json", Json.createObjectBuilder().add("raw", 1).build());
        nested.put("empty", Map.of());
        nested.put("emptyList", new ArrayList<>());
        sameAsJsonb(nested);
        sameAsJsonb(Map.of("id", "O-1", "total", 42, "customer", "ACME"));
        sameAsJsonb(new HashMap<>(Map.of("a", 1, "b", 2, "c", 3, "d", 4)));
        sameAsJsonb(List.of(Map.of("sku", "A-1", "qty", 2)));
    }

    @Test
    void valuesJsonbMustWriteStillGoThroughJsonb() {
        Map<String, Object> mixed = new LinkedHashMap<>();
        mixed.put("order", new Order("O-1", List.of(new Line("A-1", 2, 9.5)), Map.of("note", "gift")));
        mixed.put("float", 0.1f);
        mixed.put("at", Instant.parse("2026-11-27T09:00:00Z"));
        mixed.put("optional", Optional.of("x"));
        mixed.put("array", new int[] {1, 2});
        mixed.put("char", 'c');
        mixed.put("numberKeys", new LinkedHashMap<>(Map.of(1, "one")));
        sameAsJsonb(mixed);
        sameAsJsonb(new Order("O-2", List.of(), Map.of("total", 1.0E10)));
        sameAsJsonb(new LinkedHashMap<>(Map.of(1, "one", 2, "two")));
    }

    @Test
    void everyNamingGivesTheSameBytesDirectlyAsThroughItsJsonb() {
        for (PayloadSettings.Naming naming : PayloadSettings.Naming.values()) {
            useJsonb(PayloadMapper.jsonb(naming));
            everyPayloadSameAsJsonb();
        }
    }

    @Test
    void snakeCaseNamesRecordAndBeanPropertiesButLeavesMapKeysAlone() {
        useJsonb(PayloadMapper.jsonb(PayloadSettings.Naming.SNAKE_CASE));

        assertThat(mapper.toJson(PLACED).toString()).isEqualTo("{\"due_on\":\"2026-12-24\","
                + "\"order_id\":\"O-1\",\"order_lines\":[{\"price\":9.5,\"qty\":2,\"sku\":\"A-1\"}],"
                + "\"placed_at\":\"2026-11-27T09:00:00Z\",\"promised_at\":\"2026-12-01T10:30:00+02:00\","
                + "\"total_amount\":19.00}");
        assertThat(mapper.toJson(Map.of("orderId", 1)).toString()).isEqualTo("{\"orderId\":1}");
    }

    @Test
    void recordsBeansAndJavaTimeComeBackAsTheyWentOut() {
        for (PayloadSettings.Naming naming : PayloadSettings.Naming.values()) {
            useJsonb(PayloadMapper.jsonb(naming));
            assertThat(mapper.fromJson(mapper.toJson(PLACED), Placed.class)).as("%s", naming).isEqualTo(PLACED);
        }
        useJsonb(PayloadMapper.jsonb(PayloadSettings.Naming.SNAKE_CASE));
        // what a Rails application sends
        Invoice invoice = mapper.fromJson(Json.createReader(new StringReader("{\"invoice_id\":\"INV-1\","
                + "\"issued_on\":\"2026-11-30\",\"paid_at\":\"2026-11-30T17:04:05Z\",\"extra\":true}"))
                .readValue(), Invoice.class);
        assertThat(invoice.invoiceId).isEqualTo("INV-1");
        assertThat(invoice.issuedOn).isEqualTo(LocalDate.parse("2026-11-30"));
        assertThat(invoice.paidAt).isEqualTo(OffsetDateTime.parse("2026-11-30T17:04:05Z"));
        assertThat(mapper.toJson(invoice).toString()).isEqualTo("{\"invoice_id\":\"INV-1\","
                + "\"issued_on\":\"2026-11-30\",\"paid_at\":\"2026-11-30T17:04:05Z\"}");
    }

    @Test
    void anApplicationsJsonbWritesEveryValueTheDirectPathStepsAside() {
        // an application's Jsonb that writes every BigDecimal as text, as some money APIs want
        Jsonb application = JsonbBuilder.create(new JsonbConfig().withSerializers(new DecimalAsText()));
        Map<String, Object> payload = Map.of("total", new BigDecimal("19.90"));
        // what the direct path alone would have written: not what the application configured
        assertThat(new PayloadMapper(application, JsonProvider.provider()).toJson(payload).toString())
                .isEqualTo("{\"total\":19.90}");

        jsonb = application;
        mapper = PayloadMapper.throughJsonbOnly(application, JsonProvider.provider());
        assertThat(mapper.toJson(payload).toString()).isEqualTo("{\"total\":\"19.90\"}");
        everyPayloadSameAsJsonb();
    }

    @Test
    void rawJsonIsParsedAndJsonValuesPassThrough() {
        assertThat(mapper.toJson(new OutgoingEvent.RawJson("{\"a\": [1, 2.50]}")).toString())
                .isEqualTo("{\"a\":[1,2.50]}");
        JsonValue value = Json.createValue("x");
        assertThat(mapper.toJson(value)).isSameAs(value);
        assertThatThrownBy(() -> mapper.toJson(new OutgoingEvent.RawJson("{nope")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("raw JSON payload");
    }

    @Test
    void aValueJsonbCannotWriteIsAClearError() {
        assertThatThrownBy(() -> mapper.toJson(Map.of("bad", Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
