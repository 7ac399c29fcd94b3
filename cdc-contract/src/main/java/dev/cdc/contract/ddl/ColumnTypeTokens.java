package dev.cdc.contract.ddl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where the column types of a CREATE TABLE or ALTER TABLE statement start: the word right after a column name that
 * follows {@code (}, {@code ,}, {@code ADD [COLUMN]}, {@code MODIFY [COLUMN]}, {@code IF [NOT] EXISTS} or
 * {@code CHANGE [COLUMN] old}. String literals, comments, names (a column called {@code inet6}) and types inside
 * expressions ({@code CAST(x AS INET6)}) are not column types.
 */
public final class ColumnTypeTokens {

    private static final Set<String> BEFORE_COLUMN_NAME = Set.of("(", ",", "ADD", "COLUMN", "MODIFY", "EXISTS");
    private static final Set<String> BEFORE_OLD_NAME = Set.of("CHANGE", "COLUMN", "EXISTS");
    /** Words that cannot be an unquoted column name right before a type. */
    private static final Set<String> NOT_A_NAME = Set.of("COLUMN", "ADD", "CHANGE", "MODIFY", "EXISTS", "AS", "IF", "NOT", "TABLE", "RETURNS");

    private ColumnTypeTokens() {
    }

    /** The indexes of the tokens that are the first word of a column's type and one of {@code types} (upper case). */
    public static List<Integer> find(List<DdlTokens.Token> tokens, Set<String> types) {
        List<Integer> out = new ArrayList<>();
        for (int i = 1; i < tokens.size(); i++) {
            DdlTokens.Token token = tokens.get(i);
            if (token.kind() == DdlTokens.Kind.WORD && types.contains(token.text().toUpperCase(Locale.ROOT)) && isColumnName(tokens, i - 1)) {
                out.add(i);
            }
        }
        return out;
    }

    /** Whether token {@code i} is the name in a column definition (the next token is then its type). */
    private static boolean isColumnName(List<DdlTokens.Token> tokens, int i) {
        DdlTokens.Token name = tokens.get(i);
        if (!name.isIdentifier() || (name.kind() == DdlTokens.Kind.WORD && NOT_A_NAME.contains(name.text().toUpperCase(Locale.ROOT)))) {
            return false;
        }
        if (i >= 1 && BEFORE_COLUMN_NAME.contains(upper(tokens.get(i - 1)))) {
            return true;
        }
        // CHANGE [COLUMN] [IF EXISTS] old new TYPE
        return i >= 2 && tokens.get(i - 1).isIdentifier() && BEFORE_OLD_NAME.contains(upper(tokens.get(i - 2)));
    }

    private static String upper(DdlTokens.Token token) {
        return token.kind() == DdlTokens.Kind.WORD || token.kind() == DdlTokens.Kind.SYMBOL ? token.text().toUpperCase(Locale.ROOT) : "";
    }
}
