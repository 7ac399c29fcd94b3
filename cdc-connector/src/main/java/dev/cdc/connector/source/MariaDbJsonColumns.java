package dev.cdc.connector.source;

import dev.cdc.connector.transform.JsonColumns;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds MariaDB's JSON columns from their {@code json_valid(`col`)} check constraints. Asked once per table
 * version (when the transform first sees a table's schema), so it is off the per-row path.
 */
public final class MariaDbJsonColumns implements JsonColumns, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MariaDbJsonColumns.class);
    private static final Pattern JSON_VALID = Pattern.compile("json_valid\\(`((?:[^`]|``)+)`\\)", Pattern.CASE_INSENSITIVE);

    private final SourceInspector inspector;
    private Connection connection;

    public MariaDbJsonColumns(SourceInspector inspector) {
        this.inspector = inspector;
    }

    @Override
    public synchronized Set<String> of(String database, String table) {
        Set<String> columns = new HashSet<>();
        try {
            if (connection == null || !connection.isValid(2)) {
                connection = inspector.connect();
            }
            try (PreparedStatement ps = connection.prepareStatement(
                    "SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?")) {
                ps.setString(1, database);
                ps.setString(2, table);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Matcher m = JSON_VALID.matcher(rs.getString(1));
                        if (m.find()) {
                            columns.add(m.group(1).replace("``", "`"));
                        }
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("Could not read JSON columns of {}.{} from the source ({}); they are published as strings", database, table, e.getMessage());
        }
        return columns;
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing on the way out
            }
            connection = null;
        }
    }
}
