package dev.cdc.connector.transform;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Writes one column value in the event format's JSON encoding (docs/event-format.md), chosen once per
 * column from its Connect schema and source type, so the hot path does no lookups.
 */
@FunctionalInterface
interface ValueEncoder {

    void write(JsonGenerator g, Object value) throws IOException;

    static ValueEncoder forField(Field field, ColumnMetadata.Column column) {
        Schema schema = field.schema();
        String name = column != null && "JSON".equals(column.type()) ? "io.debezium.data.Json" : schema.name();
        int fsp = column == null ? 0 : column.fractionalDigits();
        if (name != null) {
            switch (name) {
                case "io.debezium.time.Date":
                    return (g, v) -> g.writeString(LocalDate.ofEpochDay(((Number) v).longValue()).toString());
                case "io.debezium.time.Timestamp":
                    return (g, v) -> g.writeString(formatLocal(((Number) v).longValue() * 1000, fsp));
                case "io.debezium.time.MicroTimestamp":
                    return (g, v) -> g.writeString(formatLocal(((Number) v).longValue(), fsp));
                case "io.debezium.time.NanoTimestamp":
                    return (g, v) -> g.writeString(formatLocal(((Number) v).longValue() / 1000, fsp));
                case "io.debezium.time.ZonedTimestamp":
                    return (g, v) -> g.writeString(formatZoned((String) v, fsp));
                case "io.debezium.time.Time":
                    return (g, v) -> g.writeString(formatTime(((Number) v).longValue() * 1000, fsp));
                case "io.debezium.time.MicroTime":
                    return (g, v) -> g.writeString(formatTime(((Number) v).longValue(), fsp));
                case "io.debezium.time.NanoTime":
                    return (g, v) -> g.writeString(formatTime(((Number) v).longValue() / 1000, fsp));
                case "io.debezium.time.Year":
                    return (g, v) -> g.writeNumber(year(((Number) v).intValue()));
                case "io.debezium.data.Json":
                    // The document's text as a string (format v3): a JSON null stays apart from SQL NULL, and MariaDB's
                    // JSON (text) keeps its exact spelling.
                    return (g, v) -> g.writeString((String) v);
                case "io.debezium.data.Bits":
                    // BIT(64) fills all 64 bits: the number is unsigned.
                    return (g, v) -> g.writeNumber(Long.toUnsignedString(bitsToLong(bytes(v))));
                case "io.debezium.data.geometry.Geometry", "io.debezium.data.geometry.Point", "io.debezium.data.geometry.Geography":
                    return ValueEncoder::writeGeometry;
                case Decimal.LOGICAL_NAME:
                    return (g, v) -> {
                        BigDecimal d = (BigDecimal) v;
                        if (d.scale() == 0) {
                            g.writeNumber(d.toBigIntegerExact());
                        } else {
                            g.writeString(d.toPlainString());
                        }
                    };
                default:
                    break;
            }
        }
        if (column != null && !column.memberText().isEmpty() && schema.type() == Schema.Type.STRING) {
            Map<String, String> text = column.memberText();
            boolean set = column.type().startsWith("SET");
            return (g, v) -> g.writeString(memberText((String) v, text, set));
        }
                return switch (schema.type()) {
            case INT8, INT16, INT32 -> (g, v) -> g.writeNumber(((Number) v).intValue());
            case INT64 -> (g, v) -> g.writeNumber(((Number) v).longValue());
            case FLOAT32 -> (g, v) -> g.writeNumber((Float) v);
            case FLOAT64 -> (g, v) -> g.writeNumber((Double) v);
            case BOOLEAN -> (g, v) -> g.writeBoolean((Boolean) v);
            case STRING -> (g, v) -> g.writeString((String) v);
            case BYTES -> (g, v) -> g.writeString(Base64.getEncoder().encodeToString(bytes(v)));
            default -> ValueEncoder::writeGeneric;
        };
    }

    /** The member's text for Debezium's spelling of it; a SET value's members one by one. */
    static String memberText(String value, Map<String, String> text, boolean set) {
        String whole = text.get(value);
        if (whole != null || !set || value.isEmpty()) {
            return whole != null ? whole : value;
        }
        StringBuilder out = new StringBuilder();
        for (String member : value.split(",", -1)) {
            out.append(out.isEmpty() ? "" : ",").append(text.getOrDefault(member, member));
        }
        return out.toString();
    }

    /** Spatial values: {@code {"srid": 4326, "wkb": "<base64 well-known binary>"}}, srid null when the source has none. */
    private static void writeGeometry(JsonGenerator g, Object v) throws IOException {
        Struct s = (Struct) v;
        g.writeStartObject();
        Object srid = s.schema().field("srid") != null ? s.get("srid") : null;
        if (srid == null) {
            g.writeNullField("srid");
        } else {
            g.writeNumberField("srid", ((Number) srid).intValue());
        }
        g.writeStringField("wkb", Base64.getEncoder().encodeToString(bytes(s.get("wkb"))));
        g.writeEndObject();
    }

    /** Structs, arrays and maps: written field by field with the generic rules. */
    private static void writeGeneric(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Struct s) {
            g.writeStartObject();
            for (Field f : s.schema().fields()) {
                g.writeFieldName(f.name());
                Object fv = s.get(f);
                if (fv == null) {
                    g.writeNull();
                } else {
                    forField(f, null).write(g, fv);
                }
            }
            g.writeEndObject();
        } else if (v instanceof byte[] || v instanceof ByteBuffer) {
            g.writeString(Base64.getEncoder().encodeToString(bytes(v)));
        } else if (v instanceof List<?> list) {
            g.writeStartArray();
            for (Object o : list) {
                writeGeneric(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                writeGeneric(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Number n) {
            g.writeNumber(n.toString());
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else {
            g.writeString(v.toString());
        }
    }

    static byte[] bytes(Object v) {
        if (v instanceof byte[] b) {
            return b;
        }
        ByteBuffer buffer = ((ByteBuffer) v).duplicate();
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    /** Debezium's Bits are little-endian bytes. */
    static long bitsToLong(byte[] bits) {
        long result = 0;
        for (int i = Math.min(bits.length, 8) - 1; i >= 0; i--) {
            result = (result << 8) | (bits[i] & 0xff);
        }
        return result;
    }

    DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    static String formatLocal(long epochMicros, int fsp) {
        long seconds = Math.floorDiv(epochMicros, 1_000_000L);
        int micro = (int) Math.floorMod(epochMicros, 1_000_000L);
        LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, micro * 1000, ZoneOffset.UTC);
        return DATE_TIME.format(t) + fraction(micro, fsp);
    }

    /**
     * The binlog stores YEAR as an offset from 1900 and Debezium adds 1900 back, so the zero year 0000 arrives as 1900,
     * a value no YEAR column can hold.
     */
    static int year(int debeziumYear) {
        return debeziumYear == 1900 ? 0 : debeziumYear;
    }

    /**
     * Debezium trims trailing zeros of TIMESTAMP fractions; we write exactly the column's digits. The epoch itself is
     * the zero timestamp: 1970-01-01 00:00:00 UTC is below TIMESTAMP's range, and the server stores '0000-00-00 00:00:00' as 0.
     */
    static String formatZoned(String iso, int fsp) {
        Instant instant = Instant.parse(iso);
        if (instant.equals(Instant.EPOCH)) {
            return "0000-00-00T00:00:00" + fraction(0, fsp) + "Z";
        }
        LocalDateTime t = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        return DATE_TIME.format(t) + fraction(instant.getNano() / 1000, fsp) + "Z";
    }

    static String formatTime(long micros, int fsp) {
        String sign = micros < 0 ? "-" : "";
        long abs = Math.abs(micros);
        long totalSeconds = abs / 1_000_000L;
        int micro = (int) (abs % 1_000_000L);
        long hours = totalSeconds / 3600;
        long minutes = (totalSeconds / 60) % 60;
        long seconds = totalSeconds % 60;
        return sign + (hours < 10 ? "0" : "") + hours + ":" + two(minutes) + ":" + two(seconds) + fraction(micro, fsp);
    }

    private static String two(long v) {
        return v < 10 ? "0" + v : Long.toString(v);
    }

    static String fraction(int micros, int fsp) {
        if (fsp <= 0) {
            return "";
        }
        String six = Integer.toString(1_000_000 + micros).substring(1);
        return "." + six.substring(0, Math.min(fsp, 6));
    }
}
