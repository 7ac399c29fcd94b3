package dev.cdc.connector.mariadb;

import dev.cdc.contract.ddl.ColumnTypeTokens;
import dev.cdc.contract.ddl.DdlTokens;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One DDL statement with its MariaDB INET4/INET6 column types written as BINARY(4)/BINARY(16) for Debezium 3.5's MariaDB
 * grammar, which has no INET4/INET6 and rejects the whole statement. The two are fixed-size binary types on the server
 * (4 and 16 bytes, sent as such in the binlog), so BINARY of the same size describes their storage exactly; the real
 * type names are remembered per column and put back on the parsed table ({@link NetworkTypeDdlParser}), and each parsed
 * statement can be mapped back to the text the source ran.
 *
 * <p>Only a type in a column definition is rewritten ({@link ColumnTypeTokens}); string literals, comments, names and
 * expressions are left as they are.
 */
final class NetworkTypeDdl {

    /** The source type names and what the grammar is given instead. */
    static final Map<String, String> PARSED_AS = Map.of("INET4", "BINARY(4)", "INET6", "BINARY(16)");
    /** Their sizes in bytes: the BINARY length the parsed column has. */
    static final Map<String, Integer> SIZE = Map.of("INET4", 4, "INET6", 16);

    /** One replaced type: {@code start}/{@code end} in the source's text, {@code parsedStart}/{@code parsedEnd} in the parsed text. */
    private record Replacement(int start, int end, int parsedStart, int parsedEnd) {
    }

    private final String original;
    private final String parsed;
    private final List<Replacement> replacements;
    private final Map<String, String> columnTypes;

    private NetworkTypeDdl(String original, String parsed, List<Replacement> replacements, Map<String, String> columnTypes) {
        this.original = original;
        this.parsed = parsed;
        this.replacements = replacements;
        this.columnTypes = columnTypes;
    }

    static NetworkTypeDdl of(String ddl) {
        if (ddl == null || !ddl.toUpperCase(Locale.ROOT).contains("INET")) {
            return new NetworkTypeDdl(ddl, ddl, List.of(), Map.of());
        }
        List<DdlTokens.Token> tokens = DdlTokens.of(ddl).list();
        StringBuilder out = new StringBuilder(ddl.length() + 16);
        List<Replacement> replacements = new ArrayList<>();
        Map<String, String> columnTypes = new LinkedHashMap<>();
        int at = 0;
        for (int i : ColumnTypeTokens.find(tokens, PARSED_AS.keySet())) {
            DdlTokens.Token token = tokens.get(i);
            String type = token.text().toUpperCase(Locale.ROOT);
            out.append(ddl, at, token.start());
            int parsedStart = out.length();
            out.append(PARSED_AS.get(type));
            replacements.add(new Replacement(token.start(), token.end(), parsedStart, out.length()));
            columnTypes.put(tokens.get(i - 1).identifier().toLowerCase(Locale.ROOT), type);
            at = token.end();
        }
        if (replacements.isEmpty()) {
            return new NetworkTypeDdl(ddl, ddl, List.of(), Map.of());
        }
        out.append(ddl.substring(at));
        return new NetworkTypeDdl(ddl, out.toString(), List.copyOf(replacements), Map.copyOf(columnTypes));
    }

    boolean rewritten() {
        return !replacements.isEmpty();
    }

    /** The text given to the grammar. */
    String parsed() {
        return parsed;
    }

    /** The source's type (INET4 or INET6) of each rewritten column, by lower-case column name. */
    Map<String, String> columnTypes() {
        return columnTypes;
    }

    /**
     * The source's text of a statement the grammar reported (a part of {@link #parsed()}), so that schema-change events
     * and the schema history keep the statement as the source ran it. A text that is not part of the parsed text is
     * returned unchanged.
     */
    String original(String statement) {
        if (statement == null || replacements.isEmpty()) {
            return statement;
        }
        int from = parsed.indexOf(statement);
        if (from < 0) {
            return statement;
        }
        return original.substring(toOriginal(from), toOriginal(from + statement.length()));
    }

    /** A position of the parsed text (never inside a replacement: statements start and end at token boundaries). */
    private int toOriginal(int parsedPosition) {
        int shift = 0;
        for (Replacement r : replacements) {
            if (r.parsedEnd() <= parsedPosition) {
                shift = r.end() - r.parsedEnd();
            } else if (r.parsedStart() < parsedPosition) {
                return r.end();
            }
        }
        return parsedPosition + shift;
    }
}
