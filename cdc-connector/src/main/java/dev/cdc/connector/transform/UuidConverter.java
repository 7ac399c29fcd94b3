package dev.cdc.connector.transform;

import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * Writes MariaDB UUID values as the server's text form. The binlog leaves out a UUID's trailing zero bytes (as for every
 * fixed-size binary column) and Debezium 3.5 reads the shorter value as a smaller number, so
 * {@code 123e4567-e89b-12d3-a456-426614174000} arrived as {@code 00123e45-67e8-9b12-d3a4-564266141740}; here the stored
 * bytes are padded back to 16. The snapshot reads a {@link UUID}. Registered by the engine properties as one of
 * Debezium's {@code converters}.
 */
public final class UuidConverter implements CustomConverter<SchemaBuilder, RelationalColumn> {

    @Override
    public void configure(Properties props) {
        // nothing to configure
    }

    @Override
    public void converterFor(RelationalColumn column, ConverterRegistration<SchemaBuilder> registration) {
        if (column.typeName() == null || !column.typeName().toUpperCase(Locale.ROOT).equals("UUID")) {
            return;
        }
        SchemaBuilder schema = SchemaBuilder.string();
        registration.register(column.isOptional() ? schema.optional() : schema, UuidConverter::text);
    }

    static String text(Object value) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if (value instanceof UUID uuid) {
            return uuid.toString();
        }
        String hex = HexFormat.of().formatHex(Arrays.copyOf(NetworkAddressConverter.bytes(value), 16));
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-" + hex.substring(16, 20) + "-" + hex.substring(20);
    }
}
