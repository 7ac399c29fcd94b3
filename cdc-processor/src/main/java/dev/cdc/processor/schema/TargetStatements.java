package dev.cdc.processor.schema;

import dev.cdc.contract.ddl.DdlTokens;
import dev.cdc.contract.ddl.RenamedTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The source's DDL statement made fit for the target: each table it names is replaced by its target table (the
 * database qualifier dropped, {@code cdc.processor.table-name-format} applied), everything else is kept as written, so
 * renames, character sets, collations and defaults arrive exactly.
 */
final class TargetStatements {

    /** Maps a source table (database, table) to the quoted target table. */
    interface Names {
        String target(String db, String table);
    }

    private static final Set<String> NOT_A_COLUMN = Set.of("INDEX", "KEY", "PRIMARY", "FOREIGN", "CONSTRAINT", "CHECK", "PARTITION",
            "UNIQUE", "FULLTEXT", "SPATIAL", "SYSTEM");

    private TargetStatements() {
    }

    /** True for {@code RENAME TABLE a TO b}. */
    static boolean isRenameTable(String ddl) {
        DdlTokens t = DdlTokens.of(ddl);
        return t.is(0, "RENAME") && (t.is(1, "TABLE") || t.is(1, "TABLES"));
    }

    /** {@code ddl} (a CREATE TABLE or ALTER TABLE) with every table it names replaced by the target table. */
    static String rewrite(String ddl, String defaultDb, Names names) {
        DdlTokens t = DdlTokens.of(ddl);
        List<DdlTokens.TableRef> refs = new ArrayList<>();
        boolean create = t.is(0, "CREATE");
        if (create) {
            int i = 1;
            while (t.is(i, "OR") || t.is(i, "REPLACE") || t.is(i, "TEMPORARY")) {
                i++;
            }
            if (t.is(i, "TABLE")) {
                i++;
                if (t.is(i, "IF") && t.is(i + 1, "NOT") && t.is(i + 2, "EXISTS")) {
                    i += 3;
                }
                add(refs, t.tableRef(i));
            }
        } else {
            int i = RenamedTables.alterTableNameIndex(t);
            if (i >= 0) {
                add(refs, t.tableRef(i));
            }
        }
        int start = refs.isEmpty() ? t.size() : refs.get(0).nextToken();
        for (int i = start; i < t.size(); i++) {
            if (t.is(i, "REFERENCES") || (create && t.is(i, "LIKE") && isTableLike(t, i))) {
                add(refs, t.tableRef(i + 1));
            } else if (!create && t.is(i, "RENAME") && !t.is(i + 1, "COLUMN") && !t.is(i + 1, "INDEX") && !t.is(i + 1, "KEY")) {
                int next = t.is(i + 1, "TO") || t.is(i + 1, "AS") ? i + 2 : i + 1;
                add(refs, t.tableRef(next));
            }
        }
        StringBuilder out = new StringBuilder(ddl.length() + 32);
        int at = 0;
        for (DdlTokens.TableRef ref : refs) {
            out.append(ddl, at, ref.start());
            out.append(names.target(ref.schema() != null ? ref.schema() : defaultDb, ref.table()));
            at = ref.end();
        }
        return out.append(ddl.substring(at)).toString();
    }

    /** {@code LIKE} right after the table name, or as {@code (LIKE other)}: not the LIKE of a CHECK expression. */
    private static boolean isTableLike(DdlTokens t, int i) {
        DdlTokens.Token before = t.get(i - 1);
        return before != null && (before.isIdentifier() || "(".equals(before.text()));
    }

    private static void add(List<DdlTokens.TableRef> refs, DdlTokens.TableRef ref) {
        if (ref != null) {
            refs.add(ref);
        }
    }

    /**
     * An ALTER TABLE (already rewritten) without its {@code DROP [COLUMN] c} clauses: each becomes what
     * {@code keepColumn} returns for the column (a {@code MODIFY} that keeps it NULL-able), or goes when that is null.
     * Returns null when no clause is left.
     */
    static String withoutColumnDrops(String alter, Function<String, String> keepColumn) {
        DdlTokens t = DdlTokens.of(alter);
        int table = RenamedTables.alterTableNameIndex(t);
        DdlTokens.TableRef ref = table < 0 ? null : t.tableRef(table);
        if (ref == null || ref.nextToken() >= t.size()) {
            return alter;
        }
        String head = alter.substring(0, t.get(ref.nextToken()).start());
        List<String> clauses = new ArrayList<>();
        int depth = 0;
        int clauseStart = ref.nextToken();
        for (int i = ref.nextToken(); i <= t.size(); i++) {
            DdlTokens.Token tok = t.get(i);
            if (tok != null && "(".equals(tok.text())) {
                depth++;
            } else if (tok != null && ")".equals(tok.text())) {
                depth--;
            }
            if (tok == null || (depth == 0 && ",".equals(tok.text()))) {
                String clause = clause(t, alter, clauseStart, i, keepColumn);
                if (clause != null) {
                    clauses.add(clause);
                }
                clauseStart = i + 1;
            }
        }
        return clauses.isEmpty() ? null : head + String.join(", ", clauses);
    }

    private static String clause(DdlTokens t, String sql, int from, int to, Function<String, String> keepColumn) {
        if (from >= to) {
            return null;
        }
        String text = sql.substring(t.get(from).start(), t.get(to - 1).end());
        if (!t.is(from, "DROP")) {
            return text;
        }
        int i = from + 1;
        if (t.is(i, "COLUMN")) {
            i++;
        } else if (t.get(i) == null || (t.get(i).kind() == DdlTokens.Kind.WORD && NOT_A_COLUMN.contains(t.get(i).text().toUpperCase(java.util.Locale.ROOT)))) {
            return text;
        }
        if (t.is(i, "IF") && t.is(i + 1, "EXISTS")) {
            i += 2;
        }
        DdlTokens.Token column = t.get(i);
        if (column == null || !column.isIdentifier()) {
            return text;
        }
        return keepColumn.apply(column.identifier());
    }
}
