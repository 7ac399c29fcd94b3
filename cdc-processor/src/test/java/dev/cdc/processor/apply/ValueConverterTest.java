package dev.cdc.processor.apply;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.processor.event.EventParser;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class ValueConverterTest {

    static JsonNode json(String text) throws Exception {
        return EventParser.JSON.readTree(text);
    }

    static Object convert(String type, String jsonValue) throws Exception {
        return ValueConverter.toJdbc("c", ColumnType.of(type), json(jsonValue));
    }

    @Test
    void integersStayExact() throws Exception {
        assertEquals(42L, convert("INT", "42"));
        assertEquals(-128L, convert("TINYINT", "-128"));
        assertEquals(Long.MAX_VALUE, convert("BIGINT", "9223372036854775807"));
        assertEquals(new BigDecimal("18446744073709551615"), convert("BIGINT UNSIGNED", "18446744073709551615"));
        assertEquals(new BigDecimal("18446744073709551615"), convert("BIGINT UNSIGNED", "\"18446744073709551615\""));
        assertEquals(1L, convert("TINYINT", "true"));
    }

    @Test
    void decimalsFromStringsAreBigDecimals() throws Exception {
        assertEquals(new BigDecimal("123.450000"), convert("DECIMAL", "\"123.450000\""));
        assertEquals(new BigDecimal("-0.000001"), convert("NUMERIC", "\"-0.000001\""));
        assertEquals(new BigDecimal("12345678901234.123456"), convert("DECIMAL", "12345678901234.123456"));
        assertThrows(IllegalArgumentException.class, () -> convert("DECIMAL", "\"abc\""));
    }

    @Test
    void floatsAndDoublesStayDoubles() throws Exception {
        assertEquals(3.141592653589793, convert("DOUBLE", "3.141592653589793"));
        assertEquals((double) 0.1f, convert("FLOAT", "0.1"), "a FLOAT value is the single-precision number");
        assertEquals((double) Float.MAX_VALUE, convert("FLOAT", "3.4028235E38"), "not 3.4028235E38 as a double, which is beyond FLOAT's range");
        assertEquals((double) 30.12346f, convert("float(7,5)", "30.12346"));
        assertEquals(30.12346, convert("DOUBLE", "30.12346"));
        assertEquals(1.0E-300, convert("DOUBLE", "1.0E-300"));
        assertEquals(2.0, convert("DOUBLE PRECISION", "2"));
    }

    @Test
    void temporalValues() throws Exception {
        assertEquals("2024-03-21", convert("DATE", "\"2024-03-21\""));
        assertEquals("2024-03-21 08:15:42.500000", convert("DATETIME", "\"2024-03-21T08:15:42.500000\""));
        assertEquals("2024-03-21 08:15:42", convert("DATETIME", "\"2024-03-21T08:15:42\""));
        assertEquals("2024-03-21 08:15:42.500000", convert("TIMESTAMP", "\"2024-03-21T08:15:42.500Z\""));
        assertEquals("2024-03-21 08:15:42.000000", convert("TIMESTAMP", "\"2024-03-21T08:15:42Z\""));
        assertEquals("2024-03-21 06:15:42.123456", convert("TIMESTAMP", "\"2024-03-21T08:15:42.123456+02:00\""));
        assertEquals("-838:59:59", convert("TIME", "\"-838:59:59\""));
        assertEquals("123:45:06.5", convert("TIME", "\"123:45:06.5\""));
        assertEquals(2024L, convert("YEAR", "2024"));
    }

    @Test
    void binaryFromBase64() throws Exception {
        assertArrayEquals(new byte[] {0, (byte) 0xFF, 0x10}, (byte[]) convert("VARBINARY", "\"AP8Q\""));
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) convert("LONGBLOB", "\"AQID\""));
        assertArrayEquals(new byte[0], (byte[]) convert("BINARY", "\"\""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> convert("BLOB", "\"not base64!\""));
        assertTrue(e.getMessage().contains("column `c` (BLOB)"), e.getMessage());
    }

    @Test
    void jsonValuesThatAreNotTextBecomeJsonText() throws Exception {
        assertEquals("{\"a\":[1,2.50,\"x\"],\"b\":null}", convert("JSON", "{\"a\":[1,2.50,\"x\"],\"b\":null}"));
        assertEquals("[1,2]", convert("JSON", "[1,2]"));
        assertEquals("3", convert("JSON", "3"));
        assertEquals("true", convert("JSON", "true"));
    }

    @Test
    void jsonTextIsWrittenAsItIs() throws Exception {
        assertEquals("{\"a\": [1, 2.50]}", convert("JSON", "\"{\\\"a\\\": [1, 2.50]}\""));
        assertEquals("null", convert("JSON", "\"null\""), "a JSON null document is the text null, not SQL NULL");
        assertEquals("\"x\"", convert("JSON", "\"\\\"x\\\"\""));
    }

    @Test
    void spatialValuesBecomeSridThenWkb() throws Exception {
        // POINT(1 2) as WKB, little-endian
        byte[] wkb = java.util.HexFormat.of().parseHex("0101000000000000000000f03f0000000000000040");
        String event = "{\"srid\":4326,\"wkb\":\"" + java.util.Base64.getEncoder().encodeToString(wkb) + "\"}";
        byte[] bound = (byte[]) convert("POINT", event);
        assertEquals("e6100000" + java.util.HexFormat.of().formatHex(wkb), java.util.HexFormat.of().formatHex(bound));
        byte[] noSrid = (byte[]) convert("GEOMETRY", "{\"srid\":null,\"wkb\":\"" + java.util.Base64.getEncoder().encodeToString(wkb) + "\"}");
        assertEquals("00000000" + java.util.HexFormat.of().formatHex(wkb), java.util.HexFormat.of().formatHex(noSrid));
        assertThrows(IllegalArgumentException.class, () -> convert("GEOMETRY", "\"POINT(1 2)\""));
    }

    @Test
    void bit64KeepsItsTopBit() throws Exception {
        assertEquals(new BigDecimal("18446744073709551615"), convert("BIT", "18446744073709551615"));
    }

    @Test
    void textEnumSetAndBit() throws Exception {
        assertEquals("héllo 👋🏽", convert("VARCHAR", "\"héllo 👋🏽\""));
        assertEquals("paid", convert("ENUM", "\"paid\""));
        assertEquals("sale,eco", convert("SET", "\"sale,eco\""));
        assertEquals(Boolean.TRUE, convert("BIT", "true"));
        assertEquals(513L, convert("BIT", "513"));
    }

    @Test
    void nullIsNullForEveryType() throws Exception {
        for (String type : new String[] {"INT", "DECIMAL", "DOUBLE", "DATE", "DATETIME", "TIMESTAMP", "TIME", "BLOB", "JSON", "VARCHAR", "BIT", "GEOMETRY"}) {
            assertNull(convert(type, "null"), type);
        }
        assertNull(ValueConverter.toJdbc("c", ColumnType.of("INT"), null));
    }

    @Test
    void typeNamesFromEventsAndInformationSchema() {
        assertEquals(ColumnType.Kind.INTEGER, ColumnType.of("BIGINT UNSIGNED").kind());
        assertTrue(ColumnType.of("bigint(20) unsigned").unsigned());
        assertEquals(ColumnType.Kind.DECIMAL, ColumnType.of("decimal(20,6)").kind());
        assertEquals(ColumnType.Kind.STRING, ColumnType.of("enum('a','b')").kind());
        assertEquals(ColumnType.Kind.TIMESTAMP, ColumnType.of("timestamp(3)").kind());
        assertEquals(ColumnType.Kind.BINARY, ColumnType.of("varbinary(16)").kind());
        assertEquals(ColumnType.Kind.SPATIAL, ColumnType.of("GEOMETRY").kind());
        assertEquals(ColumnType.Kind.SPATIAL, ColumnType.of("point").kind());
        assertEquals(ColumnType.Kind.STRING, ColumnType.of("NCHAR").kind());
        assertEquals(ColumnType.Kind.STRING, ColumnType.of("INET6").kind());
        assertEquals(ColumnType.Kind.OTHER, ColumnType.of(null).kind());
    }
}
