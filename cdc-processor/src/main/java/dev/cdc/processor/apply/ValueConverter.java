package dev.cdc.processor.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.processor.event.EventParser;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * Turns an event's JSON column value into the value bound on the target (docs/event-format.md, "Column values"):
 * exact integers (BIGINT UNSIGNED beyond long as BigDecimal), DECIMAL strings as BigDecimal, FLOAT/DOUBLE as double,
 * base64 as bytes, JSON documents as their text (format v3; {@link dev.cdc.processor.event.EventParser} lifts v2 values), spatial
 * values as the server's internal form (SRID, then the WKB), TIMESTAMP instants as UTC {@code yyyy-MM-dd HH:mm:ss.ffffff} (the
 * target session runs with time_zone '+00:00'), DATETIME with a space instead of the T, BIT(1) as boolean.
 * Everything else binds as text. A value that does not fit its type is an {@link IllegalArgumentException}:
 * the record is poison.
 */
public final class ValueConverter {

    static final DateTimeFormatter SQL_TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

    private ValueConverter() {
    }

    /** The JDBC value for {@code value} in a column of {@code type}: null, String, Long, BigDecimal, Double, Boolean or byte[]. */
    public static Object toJdbc(String column, ColumnType type, JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        try {
            return switch (type.kind()) {
                case INTEGER -> integer(value);
                case DECIMAL -> decimal(value);
                case FLOAT -> type.name().equals("FLOAT") ? single(floating(value)) : floating(value);
                case BIT -> value.isBoolean() ? (Object) value.booleanValue() : integer(value);
                case YEAR -> value.isTextual() ? Long.parseLong(value.asText().trim()) : integer(value);
                case DATE, TIME -> text(value);
                case DATETIME -> datetime(text(value));
                case TIMESTAMP -> timestamp(text(value));
                case BINARY -> binary(value);
                case JSON -> value.isTextual() ? value.asText() : jsonText(value);
                case SPATIAL -> spatial(value);
                case STRING -> value.isContainerNode() ? jsonText(value) : value.asText();
                case OTHER -> generic(value);
            };
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException("column `" + column + "` (" + (type.name().isEmpty() ? "unknown type" : type.name())
                    + "): cannot convert " + describe(value) + ": " + e.getMessage(), e);
        }
    }

    /** {@code 2024-03-21T08:15:42.500Z} → {@code 2024-03-21 08:15:42.500000} (UTC); offsets are converted to UTC. */
    static String timestamp(String text) {
        String t = text.trim();
        Instant instant = null;
        try {
            instant = Instant.parse(t);
        } catch (DateTimeParseException e) {
            try {
                instant = OffsetDateTime.parse(t).toInstant();
            } catch (DateTimeParseException ignored) {
                // Not an instant (a zero timestamp, or already a plain SQL value): pass it through as text below.
            }
        }
        if (instant != null) {
            return SQL_TIMESTAMP.format(instant.atOffset(ZoneOffset.UTC));
        }
        if (t.endsWith("Z")) {
            t = t.substring(0, t.length() - 1);
        }
        return datetime(t);
    }

    /** {@code 2024-03-21T08:15:42.500000} → {@code 2024-03-21 08:15:42.500000}. */
    static String datetime(String text) {
        int t = text.indexOf('T');
        return t < 0 ? text : text.substring(0, t) + ' ' + text.substring(t + 1);
    }

    static String jsonText(JsonNode value) {
        try {
            return EventParser.JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Object integer(JsonNode value) {
        if (value.isBoolean()) {
            return value.booleanValue() ? 1L : 0L;
        }
        if (value.isIntegralNumber()) {
            return value.canConvertToLong() ? (Object) value.longValue() : new BigDecimal(value.bigIntegerValue());
        }
        if (value.isNumber()) {
            return value.decimalValue();
        }
        if (value.isTextual()) {
            BigInteger exact = new BigInteger(value.asText().trim());
            return exact.bitLength() < 64 ? (Object) exact.longValue() : new BigDecimal(exact);
        }
        throw new IllegalArgumentException("expected an integer");
    }

    private static BigDecimal decimal(JsonNode value) {
        if (value.isTextual()) {
            return new BigDecimal(value.asText().trim());
        }
        if (value.isNumber()) {
            return value.decimalValue();
        }
        throw new IllegalArgumentException("expected a decimal string");
    }

    private static Double floating(JsonNode value) {
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isTextual()) {
            return Double.parseDouble(value.asText().trim());
        }
        throw new IllegalArgumentException("expected a number");
    }

    /**
     * A FLOAT column's value is a single-precision number printed in its shortest form ({@code 3.4028235E38}); read back
     * as a double it can lie just beyond the float range, which the target rejects. Rounded to float first, it is
     * exactly the stored value.
     */
    static Double single(Double value) {
        return (double) value.floatValue();
    }

    private static byte[] binary(JsonNode value) {
        if (!value.isTextual()) {
            throw new IllegalArgumentException("expected a base64 string");
        }
        return Base64.getDecoder().decode(value.asText());
    }

    /**
     * {@code {"srid": 4326, "wkb": "<base64>"}} → the internal geometry form both MySQL and MariaDB accept as a column
     * value: the SRID as 4 bytes little-endian, then the well-known binary.
     */
    static byte[] spatial(JsonNode value) {
        JsonNode wkb = value.get("wkb");
        if (!value.isObject() || wkb == null || !wkb.isTextual()) {
            throw new IllegalArgumentException("expected a spatial value {\"srid\": n, \"wkb\": base64}");
        }
        byte[] geometry = Base64.getDecoder().decode(wkb.asText());
        long srid = value.path("srid").asLong(0);
        byte[] out = new byte[geometry.length + 4];
        for (int i = 0; i < 4; i++) {
            out[i] = (byte) (srid >>> (8 * i));
        }
        System.arraycopy(geometry, 0, out, 4, geometry.length);
        return out;
    }

    private static String text(JsonNode value) {
        if (value.isTextual() || value.isNumber()) {
            return value.asText();
        }
        throw new IllegalArgumentException("expected a string");
    }

    private static Object generic(JsonNode value) {
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isIntegralNumber()) {
            return integer(value);
        }
        if (value.isNumber()) {
            return value.decimalValue();
        }
        return jsonText(value);
    }

    private static String describe(JsonNode value) {
        String text = value.toString();
        return value.getNodeType().name().toLowerCase() + " " + (text.length() > 60 ? text.substring(0, 60) + "..." : text);
    }
}
