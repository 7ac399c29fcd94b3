package dev.cdc.processor.apply;

import java.sql.Connection;
import java.sql.SQLException;

/** More work for a transaction of {@link BatchApplier}, committed or rolled back with it (e.g. a dead-letter row). */
@FunctionalInterface
public interface InTransaction {

    /**
     * @param moved for {@link BatchApplier#skipPast}: whether this transaction moved the watermark past the record
     *              (false: it was already past it, e.g. done before); for a replay always true
     * @return false to roll the whole transaction back (e.g. the request it belongs to was cancelled)
     */
    boolean run(Connection c, boolean moved) throws SQLException;
}
