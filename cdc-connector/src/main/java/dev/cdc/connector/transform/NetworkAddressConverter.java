package dev.cdc.connector.transform;

import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * Writes MariaDB INET4 and INET6 values as the server's text form ({@code "10.0.0.1"}, {@code "::ffff:10.0.0.1"}).
 * The snapshot reads that text; the binlog carries the stored bytes (4 or 16, trailing zero bytes left out, as for
 * every fixed-size binary column), which are formatted the way MariaDB prints them: IPv4-mapped addresses
 * ({@code ::ffff:a.b.c.d}) and IPv4-compatible ones whose seventh group is not zero ({@code ::a.b.c.d}) with a dotted IPv4
 * tail, otherwise lower-case hex groups with the first longest run of zero groups (even a
 * single one) written as {@code ::}. Registered by the engine properties as one of Debezium's {@code converters}; the
 * columns reach it as INET4/INET6 through {@code dev.cdc.connector.mariadb.NetworkTypeDdlParser}.
 */
public final class NetworkAddressConverter implements CustomConverter<SchemaBuilder, RelationalColumn> {

    @Override
    public void configure(Properties props) {
        // nothing to configure
    }

    @Override
    public void converterFor(RelationalColumn column, ConverterRegistration<SchemaBuilder> registration) {
        String type = column.typeName() == null ? "" : column.typeName().toUpperCase(Locale.ROOT);
        if (!type.equals("INET4") && !type.equals("INET6")) {
            return;
        }
        boolean v4 = type.equals("INET4");
        SchemaBuilder schema = SchemaBuilder.string();
        registration.register(column.isOptional() ? schema.optional() : schema, value -> text(value, v4));
    }

    /** The address's text: the snapshot's text as it is, the binlog's bytes formatted. */
    static String text(Object value, boolean v4) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        byte[] stored = bytes(value);
        return v4 ? inet4(Arrays.copyOf(stored, 4)) : inet6(Arrays.copyOf(stored, 16));
    }

    static String inet4(byte[] b) {
        return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
    }

    /** MariaDB's Inet6::to_string. */
    static String inet6(byte[] b) {
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        boolean firstSixZero = words[0] == 0 && words[1] == 0 && words[2] == 0 && words[3] == 0 && words[4] == 0;
        if (firstSixZero && words[5] == 0xffff) {
            return "::ffff:" + inet4(Arrays.copyOfRange(b, 12, 16));
        }
        if (firstSixZero && words[5] == 0 && words[6] != 0) {
            return "::" + inet4(Arrays.copyOfRange(b, 12, 16));
        }
        int gapStart = -1;
        int gapLength = 0;
        for (int i = 0; i < 8; ) {
            if (words[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && words[i] == 0) {
                i++;
            }
            if (i - start > gapLength) {
                gapStart = start;
                gapLength = i - start;
            }
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == gapStart) {
                out.append(i == 0 ? "::" : ":");
                i += gapLength - 1;
            } else {
                out.append(Integer.toHexString(words[i]));
                if (i < 7) {
                    out.append(':');
                }
            }
        }
        return out.toString();
    }

    static byte[] bytes(Object value) {
        if (value instanceof byte[] b) {
            return b;
        }
        if (value instanceof ByteBuffer buffer) {
            ByteBuffer copy = buffer.duplicate();
            byte[] out = new byte[copy.remaining()];
            copy.get(out);
            return out;
        }
        throw new IllegalArgumentException("unexpected INET4/INET6 value of type " + value.getClass().getName());
    }
}
