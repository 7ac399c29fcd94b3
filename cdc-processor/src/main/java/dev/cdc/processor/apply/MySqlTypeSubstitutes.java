package dev.cdc.processor.apply;

import dev.cdc.contract.ddl.ColumnTypeTokens;
import dev.cdc.contract.ddl.DdlTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a MySQL target gets for MariaDB column types it does not have. INET4, INET6 and UUID values arrive as their text
 * form (docs/event-format.md), so a MySQL target holds that text: {@code VARCHAR(15)}, {@code VARCHAR(39)} and
 * {@code CHAR(36)}, ASCII with a binary collation (the text is MariaDB's canonical lower-case form, compared exactly).
 */
final class MySqlTypeSubstitutes {

    static final Map<String, String> SUBSTITUTES = Map.of(
            "INET4", "VARCHAR(15) CHARACTER SET ascii COLLATE ascii_bin",
            "INET6", "VARCHAR(39) CHARACTER SET ascii COLLATE ascii_bin",
            "UUID", "CHAR(36) CHARACTER SET ascii COLLATE ascii_bin");

    /** One substituted column type. */
    record Substitution(String column, String sourceType, String targetType) {
    }

    /** A statement with its substitutions; {@code substitutions} is empty when it is unchanged. */
    record Statement(String sql, List<Substitution> substitutions) {
    }

    private MySqlTypeSubstitutes() {
    }

    /** The MySQL type for an event's {@code sql_type}, or null when MySQL has that type. */
    static String forColumnType(String sqlType) {
        if (sqlType == null) {
            return null;
        }
        return SUBSTITUTES.get(sqlType.trim().toUpperCase(Locale.ROOT));
    }

    /** A CREATE TABLE or ALTER TABLE statement with each column of a MariaDB-only type given its MySQL substitute. */
    static Statement inStatement(String ddl) {
        List<DdlTokens.Token> tokens = DdlTokens.of(ddl).list();
        List<Integer> found = ColumnTypeTokens.find(tokens, SUBSTITUTES.keySet());
        if (found.isEmpty()) {
            return new Statement(ddl, List.of());
        }
        StringBuilder out = new StringBuilder(ddl.length() + 64);
        List<Substitution> substitutions = new ArrayList<>();
        int at = 0;
        for (int i : found) {
            DdlTokens.Token token = tokens.get(i);
            String type = token.text().toUpperCase(Locale.ROOT);
            out.append(ddl, at, token.start()).append(SUBSTITUTES.get(type));
            substitutions.add(new Substitution(tokens.get(i - 1).identifier(), type, SUBSTITUTES.get(type)));
            at = token.end();
        }
        return new Statement(out.append(ddl.substring(at)).toString(), List.copyOf(substitutions));
    }
}
