package dev.cdc.contract.ddl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tokens of one MySQL/MariaDB DDL statement, comments and white space left out, each with its place in the text, so
 * that table names can be found and replaced without touching string literals, comments or anything else.
 */
public final class DdlTokens {

    /** What a token is. */
    public enum Kind { WORD, QUOTED, STRING, SYMBOL }

    /** One token: {@code text} as written, {@code start} inclusive and {@code end} exclusive in the statement. */
    public record Token(Kind kind, String text, int start, int end) {

        /** True for a bare word equal to {@code keyword}, ignoring case. */
        public boolean is(String keyword) {
            return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
        }

        /** True when the token can be an identifier (a bare word or a backquoted name). */
        public boolean isIdentifier() {
            return kind == Kind.WORD || kind == Kind.QUOTED;
        }

        /** The identifier it names: backquotes removed and doubled backquotes undone. */
        public String identifier() {
            return kind == Kind.QUOTED ? text.substring(1, text.length() - 1).replace("``", "`") : text;
        }
    }

    private final String sql;
    private final List<Token> tokens;

    private DdlTokens(String sql, List<Token> tokens) {
        this.sql = sql;
        this.tokens = tokens;
    }

    public static DdlTokens of(String sql) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char ch = sql.charAt(i);
            if (Character.isWhitespace(ch)) {
                i++;
            } else if (ch == '#' || (ch == '-' && i + 2 <= n && sql.startsWith("--", i) && (i + 2 == n || Character.isWhitespace(sql.charAt(i + 2))))) {
                int eol = sql.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (ch == '/' && sql.startsWith("/*", i) && !sql.startsWith("/*!", i) && !sql.startsWith("/*M!", i)) {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
            } else if (ch == '/' && (sql.startsWith("/*!", i) || sql.startsWith("/*M!", i))) {
                // Versioned comment: its content is part of the statement on MySQL-compatible servers; kept as one symbol.
                int close = sql.indexOf("*/", i + 2);
                int end = close < 0 ? n : close + 2;
                out.add(new Token(Kind.SYMBOL, sql.substring(i, end), i, end));
                i = end;
            } else if (ch == '`') {
                int end = closing(sql, i, '`');
                out.add(new Token(Kind.QUOTED, sql.substring(i, end), i, end));
                i = end;
            } else if (ch == '\'' || ch == '"') {
                int end = closing(sql, i, ch);
                out.add(new Token(Kind.STRING, sql.substring(i, end), i, end));
                i = end;
            } else if (Character.isLetterOrDigit(ch) || ch == '_' || ch == '$' || ch > 127) {
                int end = i + 1;
                while (end < n) {
                    char c = sql.charAt(end);
                    if (!(Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 127)) {
                        break;
                    }
                    end++;
                }
                out.add(new Token(Kind.WORD, sql.substring(i, end), i, end));
                i = end;
            } else {
                out.add(new Token(Kind.SYMBOL, String.valueOf(ch), i, i + 1));
                i++;
            }
        }
        return new DdlTokens(sql, List.copyOf(out));
    }

    /** The end of a quoted token that starts at {@code start}: a doubled quote (or a backslash in strings) escapes it. */
    private static int closing(String sql, int start, char quote) {
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\\' && quote != '`') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return sql.length();
    }

    public String sql() {
        return sql;
    }

    public List<Token> list() {
        return tokens;
    }

    public int size() {
        return tokens.size();
    }

    public Token get(int index) {
        return index >= 0 && index < tokens.size() ? tokens.get(index) : null;
    }

    /** True when the token at {@code index} is the bare word {@code keyword}. */
    public boolean is(int index, String keyword) {
        Token t = get(index);
        return t != null && t.is(keyword);
    }

    /** The first words of the statement, upper-cased and joined by one space, up to {@code count} of them. */
    public String leadingWords(int count) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(count, tokens.size()) && tokens.get(i).kind() == Kind.WORD; i++) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(tokens.get(i).text().toUpperCase(Locale.ROOT));
        }
        return b.toString();
    }

    /**
     * The table reference that starts at {@code index} ({@code name} or {@code db.name}, each bare or backquoted), or
     * null when there is none.
     */
    public TableRef tableRef(int index) {
        Token first = get(index);
        if (first == null || !first.isIdentifier()) {
            return null;
        }
        Token dot = get(index + 1);
        Token second = get(index + 2);
        if (dot != null && dot.kind() == Kind.SYMBOL && ".".equals(dot.text()) && dot.start() == first.end()
                && second != null && second.isIdentifier() && second.start() == dot.end()) {
            return new TableRef(first.identifier(), second.identifier(), index, index + 3, first.start(), second.end());
        }
        return new TableRef(null, first.identifier(), index, index + 1, first.start(), first.end());
    }

    /**
     * A table named in the statement.
     *
     * @param schema     the database qualifier, or null
     * @param firstToken index of its first token; {@code nextToken} the index after it
     * @param start      its place in the text (inclusive); {@code end} exclusive
     */
    public record TableRef(String schema, String table, int firstToken, int nextToken, int start, int end) {
    }
}
