package dev.cdc.connector.transform;

import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * Writes YEAR values as the stored year (0 for YEAR 0000), and the values of NOT NULL DATE, DATETIME and TIMESTAMP columns in the event format's text form
 * (docs/event-format.md), so that the zero date arrives as {@code 0000-00-00} / {@code 0000-00-00T00:00:00}. Debezium's
 * binlog and snapshot readers turn a zero date into null before any converter runs, and its own converter then
 * substitutes the column's default or 1970-01-01 for a NOT NULL column; a NOT NULL column cannot hold NULL, so here a
 * null can only be the zero date. (In a NULL-able column
 * a zero date cannot be told from NULL, and a zero-in-date value such as {@code 0001-00-00} from the zero date: both are
 * listed as values the pipeline cannot carry.) Registered by the engine properties as Debezium's {@code converters}.
 */
public final class ZeroDateConverter implements CustomConverter<SchemaBuilder, RelationalColumn> {

    static final String ZERO_DATE = "0000-00-00";

    @Override
    public void configure(Properties props) {
        // nothing to configure
    }

    @Override
    public void converterFor(RelationalColumn column, ConverterRegistration<SchemaBuilder> registration) {
        String type = column.typeName() == null ? "" : column.typeName().toUpperCase(Locale.ROOT);
        if (type.equals("YEAR")) {
            // Every YEAR column: Debezium's own conversion moves YEAR 0000 to 2000 whatever enable.time.adjuster says.
            registration.register(column.isOptional() ? SchemaBuilder.int32().optional() : SchemaBuilder.int32(), ZeroDateConverter::year);
            return;
        }
        if (column.isOptional()) {
            return;
        }
        if (type.equals("DATE")) {
            registration.register(SchemaBuilder.string(), ZeroDateConverter::date);
        } else if (type.equals("DATETIME") || type.equals("TIMESTAMP")) {
            int fsp = column.length().orElse(0);
            int digits = fsp > 0 && fsp <= 6 ? fsp : 0;
            if (type.equals("DATETIME")) {
                registration.register(SchemaBuilder.string(), value -> dateTime(value, digits));
            } else {
                registration.register(SchemaBuilder.string(), value -> timestamp(value, digits));
            }
        }
    }

    /** The stored year: the snapshot reads a number, the binlog reader adds 1900 to the stored offset (0 for YEAR 0000). */
    static Integer year(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof java.time.Year y) {
            return y.getValue() == 1900 ? 0 : y.getValue();
        }
        if (value instanceof Number n) {
            return n.intValue() == 1900 ? 0 : n.intValue();
        }
        if (value instanceof java.sql.Date d) {
            return d.toLocalDate().getYear();
        }
        if (value instanceof String text) {
            return Integer.valueOf(text.trim());
        }
        throw new IllegalArgumentException("unexpected YEAR value of type " + value.getClass().getName() + ": " + value);
    }

    static String date(Object value) {
        if (value == null) {
            return ZERO_DATE;
        }
        if (value instanceof java.sql.Date d) {
            return d.toLocalDate().toString();
        }
        if (value instanceof LocalDate d) {
            return d.toString();
        }
        if (value instanceof LocalDateTime t) {
            return t.toLocalDate().toString();
        }
        if (value instanceof Number epochDay) {
            // A default value, already converted by Debezium.
            return LocalDate.ofEpochDay(epochDay.longValue()).toString();
        }
        if (value instanceof String text) {
            // Defaults may reach converters as text.
            return text.startsWith(ZERO_DATE) ? ZERO_DATE : LocalDate.parse(text.substring(0, Math.min(10, text.length()))).toString();
        }
        throw new IllegalArgumentException("unexpected DATE value of type " + value.getClass().getName() + ": " + value);
    }

    /** UTC with {@code Z}, like {@link ValueEncoder#formatZoned}; the epoch is the zero timestamp there too. */
    static String timestamp(Object value, int fsp) {
        Instant instant;
        if (value == null) {
            instant = Instant.EPOCH;
        } else if (value instanceof Timestamp ts) {
            instant = ts.toInstant();
        } else if (value instanceof ZonedDateTime z) {
            instant = z.toInstant();
        } else if (value instanceof OffsetDateTime o) {
            instant = o.toInstant();
        } else if (value instanceof Instant i) {
            instant = i;
        } else if (value instanceof String text) {
            instant = text.startsWith(ZERO_DATE) ? Instant.EPOCH : parseInstant(text);
        } else if (value instanceof Number epochMillis) {
            instant = Instant.ofEpochMilli(epochMillis.longValue());
        } else {
            throw new IllegalArgumentException("unexpected TIMESTAMP value of type " + value.getClass().getName() + ": " + value);
        }
        return ValueEncoder.formatZoned(instant.toString(), fsp);
    }

    /** {@code 2000-01-01T00:00:00Z}, with an offset, or a zone-less {@code 2000-01-01 00:00:00} taken as UTC. */
    private static Instant parseInstant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        }
    }

    static String dateTime(Object value, int fsp) {
        if (value == null) {
            return ZERO_DATE + "T00:00:00" + ValueEncoder.fraction(0, fsp);
        }
        LocalDateTime t;
        if (value instanceof Timestamp ts) {
            t = ts.toLocalDateTime();
        } else if (value instanceof LocalDateTime l) {
            t = l;
        } else if (value instanceof LocalDate d) {
            t = d.atStartOfDay();
        } else if (value instanceof String text) {
            if (text.startsWith(ZERO_DATE)) {
                return dateTime(null, fsp);
            }
            t = LocalDateTime.parse(text.replace(' ', 'T'));
        } else if (value instanceof Number epochMillis) {
            t = LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis.longValue()), ZoneOffset.UTC);
        } else {
            throw new IllegalArgumentException("unexpected DATETIME value of type " + value.getClass().getName() + ": " + value);
        }
        return ValueEncoder.DATE_TIME.format(t) + ValueEncoder.fraction(t.getNano() / 1000, fsp);
    }
}
