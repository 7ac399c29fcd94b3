package dev.cdc.contract;

/**
 * The identity of a source server's binlog history, as recorded with the lineage (docs/design.md, invariant 7) by the
 * connector and by the operator command: MySQL's {@code server_uuid}, which a new data directory changes; MariaDB has
 * none, so its host, port and {@code server_id} stand for it.
 */
public final class ServerIdentity {

    private ServerIdentity() {
    }

    /** The query that returns the identity, one row and one column. */
    public static String query(boolean mariadb) {
        return mariadb
                ? "SELECT CONCAT('mariadb:', @@hostname, ':', @@port, ':', @@server_id)"
                : "SELECT CONCAT('mysql:', @@server_uuid)";
    }
}
