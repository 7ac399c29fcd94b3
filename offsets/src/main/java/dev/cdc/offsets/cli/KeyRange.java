package dev.cdc.offsets.cli;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * A range of primary-key values: above {@code lower} (exclusive, or inclusive when {@code lowerInclusive}) and up to
 * {@code upper} (inclusive); a null bound is open. Key values are text: the server converts them to the column's type.
 * Composite keys compare column by column, spelled out with OR so that every server uses the primary-key index.
 */
record KeyRange(List<String> lower, boolean lowerInclusive, List<String> upper) {

    static final KeyRange ALL = new KeyRange(null, false, null);

    /** The WHERE clause (with a leading space, or empty), with one ? per key value. */
    String where(List<String> key) {
        List<String> conditions = new ArrayList<>();
        if (lower != null) {
            conditions.add(compare(key, ">", lowerInclusive ? ">=" : ">"));
        }
        if (upper != null) {
            conditions.add(compare(key, "<", "<="));
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    /** Binds the bounds' values from parameter {@code first}; returns the next free parameter index. */
    int bind(PreparedStatement ps, int first) throws SQLException {
        int i = first;
        if (lower != null) {
            i = bindExpanded(ps, i, lower);
        }
        if (upper != null) {
            i = bindExpanded(ps, i, upper);
        }
        return i;
    }

    private static String compare(List<String> key, String strict, String last) {
        StringJoiner or = new StringJoiner(" OR ", "(", ")");
        for (int n = 0; n < key.size(); n++) {
            StringJoiner and = new StringJoiner(" AND ", "(", ")");
            for (int i = 0; i < n; i++) {
                and.add(TableShape.quote(key.get(i)) + " = ?");
            }
            and.add(TableShape.quote(key.get(n)) + " " + (n == key.size() - 1 ? last : strict) + " ?");
            or.add(and.toString());
        }
        return or.toString();
    }

    /** Term n of the expansion uses values 0..n. */
    private static int bindExpanded(PreparedStatement ps, int first, List<String> values) throws SQLException {
        int i = first;
        for (int n = 0; n < values.size(); n++) {
            for (int j = 0; j <= n; j++) {
                ps.setString(i++, values.get(j));
            }
        }
        return i;
    }

    /** "from the start through id=100", "after id=100 through id=200", "after id=200 to the end". */
    String describe(List<String> key) {
        String from = lower == null ? "from the start" : (lowerInclusive ? "from " : "after ") + Keys.describe(key, lower);
        return from + (upper == null ? " to the end" : " through " + Keys.describe(key, upper));
    }
}
