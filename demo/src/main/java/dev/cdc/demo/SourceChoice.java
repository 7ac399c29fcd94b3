package dev.cdc.demo;

import dev.cdc.localstack.DatabaseKind;
import dev.cdc.localstack.MySqlBinaries;
import dev.cdc.localstack.MySqlUnavailableException;

/**
 * Which source server the local run uses, from {@code -Ddemo.source=mysql|mariadb|auto}: {@code auto} (the default)
 * takes MySQL where it can be had (the service is a MySQL CDC service) and MariaDB otherwise.
 *
 * @param why one line for the operator: what was asked and, on a fallback, why MySQL was not used
 */
record SourceChoice(DatabaseKind kind, String why) {

    static final String PROPERTY = "demo.source";

    static SourceChoice fromSystemProperty() {
        String asked = System.getProperty(PROPERTY, "auto").strip();
        if (asked.isEmpty() || asked.equalsIgnoreCase("auto")) {
            try {
                MySqlBinaries.locate();
                return new SourceChoice(DatabaseKind.MYSQL, "MySQL is available here (-D" + PROPERTY + "=mariadb picks MariaDB)");
            } catch (MySqlUnavailableException e) {
                return new SourceChoice(DatabaseKind.MARIADB, "MySQL is not available here (" + e.getMessage() + "); using MariaDB");
            }
        }
        DatabaseKind kind;
        try {
            kind = DatabaseKind.parse(asked);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + asked + " is not a source: use mysql, mariadb or auto");
        }
        if (kind == DatabaseKind.MYSQL) {
            try {
                MySqlBinaries.locate();
            } catch (MySqlUnavailableException e) {
                throw new IllegalStateException("-D" + PROPERTY + "=mysql, but MySQL is not available here: " + e.getMessage()
                        + "; set CDC_MYSQL_HOME to a MySQL installation or use -D" + PROPERTY + "=mariadb");
            }
        }
        return new SourceChoice(kind, "-D" + PROPERTY + "=" + asked);
    }
}
