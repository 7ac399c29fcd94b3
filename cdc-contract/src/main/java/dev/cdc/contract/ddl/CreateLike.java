package dev.cdc.contract.ddl;

/**
 * The table a {@code CREATE TABLE new LIKE old} (or {@code (LIKE old)}) copies. Its definition at that moment is what
 * the new table gets, so a consumer applies the statement in order with the old table's changes too.
 */
public final class CreateLike {

    private CreateLike() {
    }

    /** The copied table, or null when {@code ddl} is not a CREATE TABLE ... LIKE. */
    public static DdlTokens.TableRef source(String ddl) {
        DdlTokens t = DdlTokens.of(ddl);
        if (!t.is(0, "CREATE")) {
            return null;
        }
        int i = 1;
        while (t.is(i, "OR") || t.is(i, "REPLACE") || t.is(i, "TEMPORARY")) {
            i++;
        }
        if (!t.is(i, "TABLE")) {
            return null;
        }
        i++;
        if (t.is(i, "IF") && t.is(i + 1, "NOT") && t.is(i + 2, "EXISTS")) {
            i += 3;
        }
        DdlTokens.TableRef created = t.tableRef(i);
        if (created == null) {
            return null;
        }
        int next = created.nextToken();
        DdlTokens.Token open = t.get(next);
        if (open != null && "(".equals(open.text())) {
            next++;
        }
        return t.is(next, "LIKE") ? t.tableRef(next + 1) : null;
    }
}
