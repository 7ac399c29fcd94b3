package dev.cdc.connector.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ValueEncoderTest {

    @Test
    void datetimeKeepsExactlyTheColumnsFractionalDigits() {
        long micros = 1_711_008_942_500_000L; // 2024-03-21T08:15:42.5 UTC
        assertEquals("2024-03-21T08:15:42.500000", ValueEncoder.formatLocal(micros, 6));
        assertEquals("2024-03-21T08:15:42.500", ValueEncoder.formatLocal(micros, 3));
        assertEquals("2024-03-21T08:15:42", ValueEncoder.formatLocal(micros, 0));
        assertEquals("1969-12-31T23:59:59.999999", ValueEncoder.formatLocal(-1, 6));
    }

    @Test
    void timestampIsUtcWithPaddedFraction() {
        assertEquals("2024-03-21T08:15:42.500Z", ValueEncoder.formatZoned("2024-03-21T08:15:42.5Z", 3));
        assertEquals("2024-03-21T08:15:42Z", ValueEncoder.formatZoned("2024-03-21T08:15:42Z", 0));
        assertEquals("0000-00-00T00:00:00.000Z", ValueEncoder.formatZoned("1970-01-01T00:00:00Z", 3), "the zero timestamp");
        assertEquals("1970-01-01T00:00:01Z", ValueEncoder.formatZoned("1970-01-01T00:00:01Z", 0));
        assertEquals(0, ValueEncoder.year(1900), "YEAR 0000 arrives from the binlog as 1900");
        assertEquals(1901, ValueEncoder.year(1901));
    }

    @Test
    void timeAllowsNegativeAndMoreThan24Hours() {
        assertEquals("838:59:59", ValueEncoder.formatTime(838L * 3600_000_000L + 59 * 60_000_000L + 59_000_000L, 0));
        assertEquals("-01:02:03.250000", ValueEncoder.formatTime(-(3723_250_000L), 6));
        assertEquals("00:00:00.1", ValueEncoder.formatTime(100_000L, 1));
    }

    @Test
    void bitsAreLittleEndian() {
        assertEquals(0b1_0000_0001L, ValueEncoder.bitsToLong(new byte[] {1, 1}));
        assertEquals(5L, ValueEncoder.bitsToLong(new byte[] {5}));
    }

    static String write(org.apache.kafka.connect.data.Field field, Object value) throws Exception {
        java.io.StringWriter out = new java.io.StringWriter();
        try (com.fasterxml.jackson.core.JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory().createGenerator(out)) {
            ValueEncoder.forField(field, ColumnMetadata.column(field, false)).write(g, value);
        }
        return out.toString();
    }

    @Test
    void jsonIsItsTextAndBitsAreUnsigned() throws Exception {
        org.apache.kafka.connect.data.Schema json = org.apache.kafka.connect.data.SchemaBuilder.string().name("io.debezium.data.Json").build();
        assertEquals("\"null\"", write(new org.apache.kafka.connect.data.Field("j", 0, json), "null"));
        assertEquals("\"{\\\"a\\\": 1}\"", write(new org.apache.kafka.connect.data.Field("j", 0, json), "{\"a\": 1}"));
        org.apache.kafka.connect.data.Schema bits = org.apache.kafka.connect.data.SchemaBuilder.bytes().name("io.debezium.data.Bits").build();
        byte[] allOnes = {-1, -1, -1, -1, -1, -1, -1, -1};
        assertEquals("18446744073709551615", write(new org.apache.kafka.connect.data.Field("b", 0, bits), allOnes));
    }

    @Test
    void geometryIsSridAndWkb() throws Exception {
        org.apache.kafka.connect.data.Schema geometry = org.apache.kafka.connect.data.SchemaBuilder.struct().name("io.debezium.data.geometry.Geometry")
                .field("wkb", org.apache.kafka.connect.data.Schema.BYTES_SCHEMA).field("srid", org.apache.kafka.connect.data.Schema.OPTIONAL_INT32_SCHEMA).build();
        org.apache.kafka.connect.data.Struct value = new org.apache.kafka.connect.data.Struct(geometry).put("wkb", new byte[] {1, 2}).put("srid", 4326);
        assertEquals("{\"srid\":4326,\"wkb\":\"AQI=\"}", write(new org.apache.kafka.connect.data.Field("g", 0, geometry), value));
        value.put("srid", null);
        assertEquals("{\"srid\":null,\"wkb\":\"AQI=\"}", write(new org.apache.kafka.connect.data.Field("g", 0, geometry), value));
    }
}
