package dev.cdc.contract.ddl;

import java.util.ArrayList;
import java.util.List;

/**
 * The renames a DDL statement makes: {@code RENAME TABLE a TO b[, c TO d]} and {@code ALTER TABLE a ... RENAME [TO|AS] b}.
 * Debezium's table changes name only the new table of a rename; the old one comes from the statement.
 */
public final class RenamedTables {

    /** One rename; a null schema means the session's current database. */
    public record Rename(String fromSchema, String from, String toSchema, String to) {
    }

    private RenamedTables() {
    }

    public static List<Rename> of(String ddl) {
        DdlTokens t = DdlTokens.of(ddl);
        List<Rename> out = new ArrayList<>();
        if (t.is(0, "RENAME") && (t.is(1, "TABLE") || t.is(1, "TABLES"))) {
            int i = 2;
            while (i < t.size()) {
                DdlTokens.TableRef from = t.tableRef(i);
                if (from == null || !t.is(from.nextToken(), "TO")) {
                    break;
                }
                DdlTokens.TableRef to = t.tableRef(from.nextToken() + 1);
                if (to == null) {
                    break;
                }
                out.add(new Rename(from.schema(), from.table(), to.schema(), to.table()));
                DdlTokens.Token comma = t.get(to.nextToken());
                if (comma == null || !",".equals(comma.text())) {
                    break;
                }
                i = to.nextToken() + 1;
            }
            return out;
        }
        int table = alterTableNameIndex(t);
        if (table < 0) {
            return out;
        }
        DdlTokens.TableRef from = t.tableRef(table);
        if (from == null) {
            return out;
        }
        for (int i = from.nextToken(); i < t.size(); i++) {
            if (!t.is(i, "RENAME")) {
                continue;
            }
            int next = i + 1;
            if (t.is(next, "COLUMN") || t.is(next, "INDEX") || t.is(next, "KEY")) {
                continue;
            }
            if (t.is(next, "TO") || t.is(next, "AS")) {
                next++;
            }
            DdlTokens.TableRef to = t.tableRef(next);
            if (to != null) {
                out.add(new Rename(from.schema(), from.table(), to.schema(), to.table()));
            }
        }
        return out;
    }

    /** The index of the table name in {@code ALTER [ONLINE] [IGNORE] TABLE [IF EXISTS] name}, or -1. */
    public static int alterTableNameIndex(DdlTokens t) {
        if (!t.is(0, "ALTER")) {
            return -1;
        }
        int i = 1;
        while (t.is(i, "ONLINE") || t.is(i, "IGNORE")) {
            i++;
        }
        if (!t.is(i, "TABLE")) {
            return -1;
        }
        i++;
        if (t.is(i, "IF") && t.is(i + 1, "EXISTS")) {
            i += 2;
        }
        return i;
    }
}
