package dev.cdc.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the plain .sql files of sql/ (no procedures: statements end with ';' at the end of a line). */
public final class SqlScript {

    private SqlScript() {
    }

    public static String resource(String classpathPath) {
        try (InputStream in = SqlScript.class.getClassLoader().getResourceAsStream(classpathPath)) {
            if (in == null) {
                throw new IllegalArgumentException("No such SQL resource on the classpath: " + classpathPath);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces ${NAME} placeholders, so that passwords come from the caller, never from the file. */
    public static String substitute(String sql, Map<String, String> variables) {
        String out = sql;
        for (Map.Entry<String, String> v : variables.entrySet()) {
            out = out.replace("${" + v.getKey() + "}", v.getValue().replace("'", "''"));
        }
        return out;
    }

    public static List<String> statements(String sql) {
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--") || trimmed.startsWith("#")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String statement = current.toString().strip();
                result.add(statement.substring(0, statement.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            result.add(current.toString().strip());
        }
        return result;
    }

    public static void run(Connection connection, String sql, Map<String, String> variables) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String s : statements(substitute(sql, variables))) {
                statement.execute(s);
            }
        }
    }

    public static void runResource(Connection connection, String classpathPath, Map<String, String> variables) throws SQLException {
        run(connection, resource(classpathPath), variables);
    }
}
