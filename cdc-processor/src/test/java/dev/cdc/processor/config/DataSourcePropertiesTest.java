package dev.cdc.processor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micronaut.context.ApplicationContext;
import io.micronaut.core.naming.conventions.StringConvention;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The driver settings in application.yml reach Connector/J as Strings: HikariCP hands the map to the driver as it is,
 * and the driver reads only String values, so an unquoted {@code true} (a Boolean) would be ignored without a word.
 */
class DataSourcePropertiesTest {

    @Test
    void driverSettingsAreStrings() {
        try (ApplicationContext ctx = ApplicationContext.builder().build()) {
            ctx.getEnvironment().start();
            Map<String, Object> props = ctx.getEnvironment().getProperties("datasources.default.data-source-properties", StringConvention.RAW);
            assertEquals("true", props.get("rewriteBatchedStatements"));
            props.forEach((key, value) -> assertEquals(String.class, value.getClass(), key + " must be quoted in application.yml"));
        }
    }
}
