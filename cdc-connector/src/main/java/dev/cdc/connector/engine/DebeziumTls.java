package dev.cdc.connector.engine;

import dev.cdc.connector.source.SourceFlavor;
import dev.cdc.offsets.DatabaseTls;
import java.util.Properties;

/**
 * The source's TLS settings in Debezium's terms ({@code database.ssl.*}), which cover both its binlog connection and
 * its JDBC connection. The MySQL connector takes the driver's mode names; the MariaDB connector has its own
 * (disable, trust, verify-ca, verify-full) and no "preferred": there an unset or PREFERRED mode keeps its default.
 */
final class DebeziumTls {

    private DebeziumTls() {
    }

    static void put(Properties p, DatabaseTls tls, SourceFlavor flavor) {
        String mode = flavor == SourceFlavor.MARIADB ? mariaDbMode(tls.mode()) : mySqlMode(tls.mode());
        if (mode != null) {
            p.setProperty("database.ssl.mode", mode);
        }
        if (tls.trustStore() != null) {
            p.setProperty("database.ssl.truststore", tls.trustStore());
        }
        if (tls.trustStorePassword() != null) {
            p.setProperty("database.ssl.truststore.password", tls.trustStorePassword());
        }
    }

    private static String mySqlMode(String mode) {
        return mode == null ? null : mode.toLowerCase(java.util.Locale.ROOT);
    }

    private static String mariaDbMode(String mode) {
        if (mode == null) {
            return null;
        }
        return switch (mode) {
            case "DISABLED" -> "disable";
            case "REQUIRED" -> "trust";
            case "VERIFY_CA" -> "verify-ca";
            case "VERIFY_IDENTITY" -> "verify-full";
            default -> null;
        };
    }
}
