package dev.cdc.connector.source;

/**
 * Which Debezium connector reads the source; chosen from {@code SELECT VERSION()}. MariaDB's is Debezium's own with a
 * DDL parser that knows INET4/INET6 ({@code dev.cdc.connector.mariadb.NetworkTypesMariaDbConnector}).
 */
public enum SourceFlavor {
    MYSQL("io.debezium.connector.mysql.MySqlConnector"),
    MARIADB("dev.cdc.connector.mariadb.NetworkTypesMariaDbConnector");

    private final String connectorClass;

    SourceFlavor(String connectorClass) {
        this.connectorClass = connectorClass;
    }

    public String connectorClass() {
        return connectorClass;
    }

    public static SourceFlavor fromVersion(String version) {
        return version != null && version.toLowerCase(java.util.Locale.ROOT).contains("mariadb") ? MARIADB : MYSQL;
    }
}
