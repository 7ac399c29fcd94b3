package dev.cdc.connector.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cdc.connector.config.ConnectorSettings;
import dev.cdc.connector.source.SourceFlavor;
import dev.cdc.offsets.Lease;
import dev.cdc.offsets.StoreConfig;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class EnginePropertiesTest {

    @Test
    void snapshotConnectionsOutlastAReaderHeldBackByAFullQueue() {
        Properties p = build(Map.of());
        assertEquals("SET SESSION net_write_timeout=3600", p.getProperty("database.initial.statements"));
    }

    @Test
    void anOperatorsDebeziumKeyWins() {
        Properties p = build(Map.of("database.initial.statements", "SET SESSION net_write_timeout=600"));
        assertEquals("SET SESSION net_write_timeout=600", p.getProperty("database.initial.statements"));
    }

    private static Properties build(Map<String, String> overrides) {
        ConnectorSettings settings = new ConnectorSettings();
        settings.setName("shop");
        settings.getSource().setUrl("jdbc:mariadb://db.example:3306");
        settings.setInstanceId("a");
        settings.getSource().setUser("cdc");
        return EngineProperties.build(settings, SourceFlavor.MARIADB, new Lease("shop", "a", 1),
                new StoreConfig("jdbc:mysql://store.example:3306/cdc_store", "store", "pw"), overrides);
    }
}
