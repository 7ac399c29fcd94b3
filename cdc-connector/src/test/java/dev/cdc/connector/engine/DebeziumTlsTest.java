package dev.cdc.connector.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.cdc.connector.source.SourceFlavor;
import dev.cdc.offsets.DatabaseTls;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DebeziumTlsTest {

    @Test
    void mariaDbGetsItsOwnModeNames() {
        assertEquals("verify-ca", mode(new DatabaseTls("VERIFY_CA", null, null), SourceFlavor.MARIADB));
        assertEquals("verify-full", mode(new DatabaseTls("VERIFY_IDENTITY", null, null), SourceFlavor.MARIADB));
        assertEquals("trust", mode(new DatabaseTls("REQUIRED", null, null), SourceFlavor.MARIADB));
        assertEquals("disable", mode(new DatabaseTls("DISABLED", null, null), SourceFlavor.MARIADB));
        assertEquals(null, mode(new DatabaseTls("PREFERRED", null, null), SourceFlavor.MARIADB));
    }

    @Test
    void mySqlGetsTheDriverNamesAndTheTrustStore() {
        Properties p = new Properties();
        DebeziumTls.put(p, new DatabaseTls("VERIFY_IDENTITY", "/etc/cdc/ca.p12", "pw"), SourceFlavor.MYSQL);
        assertEquals("verify_identity", p.getProperty("database.ssl.mode"));
        assertEquals("/etc/cdc/ca.p12", p.getProperty("database.ssl.truststore"));
        assertEquals("pw", p.getProperty("database.ssl.truststore.password"));
        Properties none = new Properties();
        DebeziumTls.put(none, DatabaseTls.DRIVER_DEFAULT, SourceFlavor.MYSQL);
        assertFalse(none.containsKey("database.ssl.mode"));
    }

    private static String mode(DatabaseTls tls, SourceFlavor flavor) {
        Properties p = new Properties();
        DebeziumTls.put(p, tls, flavor);
        return p.getProperty("database.ssl.mode");
    }
}
