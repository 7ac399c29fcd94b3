package dev.cdc.connector.snapshot;

/** The source's estimate of a table's row count (InnoDB's statistics: approximate, may lag a bulk load). */
@FunctionalInterface
public interface TableStatistics {

    /** @return the estimated number of rows, or -1 when the source has none */
    long estimatedRows(String db, String table);

    TableStatistics NONE = (db, table) -> -1;
}
