package dev.cdc.connector.source;

import dev.cdc.connector.transform.ColumnCatalog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a table's columns from the source's information_schema: exact column types, character sets and collations,
 * and JSON columns (MySQL's JSON type; MariaDB's {@code json_valid(`col`)} check constraints). Asked once per table
 * version (when the transform first sees a table's schema), so it is off the per-row path.
 */
public final class SourceColumnCatalog implements ColumnCatalog, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SourceColumnCatalog.class);
    private static final Pattern JSON_VALID = Pattern.compile("json_valid\\(`((?:[^`]|``)+)`\\)", Pattern.CASE_INSENSITIVE);

    private final SourceInspector inspector;
    private final boolean mariaDb;
    private Connection connection;
    private Boolean zeroDatesAllowed;

    public SourceColumnCatalog(SourceInspector inspector, SourceFlavor flavor) {
        this.inspector = inspector;
        this.mariaDb = flavor == SourceFlavor.MARIADB;
    }

    @Override
    public synchronized Map<String, CatalogColumn> of(String database, String table) {
        Map<String, CatalogColumn> columns = new HashMap<>();
        try {
            if (connection == null || !connection.isValid(2)) {
                connection = inspector.connect();
            }
            Set<String> json = mariaDb ? mariaDbJsonColumns(database, table) : Set.of();
            try (PreparedStatement ps = connection.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, CHARACTER_MAXIMUM_LENGTH, "
                    + "CHARACTER_SET_NAME, COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
                ps.setString(1, database);
                ps.setString(2, table);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String name = rs.getString(1);
                        String dataType = rs.getString(2);
                        long length = rs.getLong(4);
                        Long maxLength = rs.wasNull() ? null : length;
                        columns.put(name, new CatalogColumn(dataType, rs.getString(3), maxLength, rs.getString(5), rs.getString(6),
                                json.contains(name) || "json".equalsIgnoreCase(dataType)));
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("Could not read the columns of {}.{} from the source's catalog ({}); their types are taken from the engine's schema, "
                    + "without character sets, and MariaDB JSON columns are published as text", database, table, e.getMessage());
        }
        return columns;
    }

    @Override
    public synchronized boolean zeroDatesAllowed() {
        if (zeroDatesAllowed == null) {
            try {
                if (connection == null || !connection.isValid(2)) {
                    connection = inspector.connect();
                }
                try (PreparedStatement ps = connection.prepareStatement("SELECT @@GLOBAL.sql_mode"); ResultSet rs = ps.executeQuery()) {
                    String mode = rs.next() && rs.getString(1) != null ? rs.getString(1).toUpperCase(java.util.Locale.ROOT) : "";
                    zeroDatesAllowed = !(mode.contains("NO_ZERO_DATE") && mode.contains("NO_ZERO_IN_DATE"));
                }
            } catch (SQLException | RuntimeException e) {
                log.warn("Could not read the source's sql_mode ({}); zero dates are assumed possible", e.getMessage());
                zeroDatesAllowed = true;
            }
        }
        return zeroDatesAllowed;
    }

    private Set<String> mariaDbJsonColumns(String database, String table) throws SQLException {
        Set<String> columns = new HashSet<>();
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
