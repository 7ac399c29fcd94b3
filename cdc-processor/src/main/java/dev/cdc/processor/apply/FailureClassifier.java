package dev.cdc.processor.apply;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Sorts apply failures into transient ones (the target is unreachable, busy or refusing us for now: roll back,
 * back off, retry forever, never dead-letter) and data failures (this record can never be applied as it is:
 * isolate it, retry it a few times, then dead-letter it).
 */
public final class FailureClassifier {

    /**
     * MySQL/MariaDB error codes that say nothing about the record: lock wait timeout, deadlock, too many
     * connections, server shutdown, connection killed, server gone, read-only server (a failover in progress),
     * access denied (an operator must fix the grants; the records must not be lost meanwhile), statement timeout.
     */
    static final Set<Integer> TRANSIENT_ERROR_CODES = Set.of(1205, 1213, 1040, 1053, 1077, 1078, 1079, 1080, 1152, 1153,
            1158, 1159, 1160, 1161, 1317, 1927, 2002, 2003, 2006, 2013, 2055, 1290, 1792, 1836, 1044, 1045, 1142, 1143,
            1227, 1969, 3024, 4031, 1614, 1637);

    private FailureClassifier() {
    }

    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException || t instanceof IOException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || state.equals("40001") || state.equals("HYT00") || state.equals("HYT01"))) {
                    return true;
                }
                if (TRANSIENT_ERROR_CODES.contains(sql.getErrorCode())) {
                    return true;
                }
                for (SQLException next = sql.getNextException(); next != null && next != sql; next = next.getNextException()) {
                    if (isTransient(next)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
