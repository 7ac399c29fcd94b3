package dev.cdc.processor.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdc.processor.event.ChangeEvent;
import dev.cdc.processor.event.ColumnList;
import dev.cdc.processor.event.ColumnMeta;
import dev.cdc.processor.event.PoisonEventException;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates target tables and adds columns from the events' column metadata, and caches each table's columns.
 * DDL runs on its own auto-commit connection before the apply transaction opens, because MySQL commits any open
 * transaction implicitly on DDL. After a DDL (or any failed apply) the structure is re-read from information_schema.
 *
 * <p>A missing table is created with every column of the event ({@code sql_type} verbatim, NOT NULL when
 * {@code nullable} is false), the primary key from the key members, InnoDB and utf8mb4. A column the target lacks
 * is added as NULL-able: rows applied before the source added it have no value for it.
 *
 * <p>Since format version 3 the tables follow the source's own DDL (schema-change events, {@code schema} package);
 * this remains the fallback for events without them and for {@code cdc.processor.schema-changes=none}.
 */
@Singleton
public class TargetSchema {

    private static final Logger log = LoggerFactory.getLogger(TargetSchema.class);
    private static final int ER_TABLE_EXISTS = 1050;
    private static final int ER_DUP_FIELDNAME = 1060;

    private final DataSource dataSource;
    private final TargetTypes types;
    private final Map<String, TargetTable> cache = new ConcurrentHashMap<>();
    /** Per table, the last event column list found wholly in it (by identity: see {@link dev.cdc.processor.event.ColumnList}). */
    private final Map<String, ColumnList> complete = new ConcurrentHashMap<>();

    public TargetSchema(DataSource dataSource, TargetTypes types) {
        this.dataSource = dataSource;
        this.types = types;
    }

    /** The table's structure, creating the table or adding columns first when the event needs them. */
    public TargetTable ensure(String table, ChangeEvent event) throws SQLException {
        TargetTable current = cache.get(table);
        if (current == null) {
            current = read(table);
        }
        if (!current.exists()) {
            create(table, event);
            current = read(table);
            if (!current.exists()) {
                throw new SQLException("table `" + table + "` still does not exist after CREATE TABLE");
            }
        }
        // Twice at most: a concurrent ALTER by another instance can make the first one fail as a whole.
        for (int round = 0; round < 2; round++) {
            List<ColumnMeta> missing = missingColumns(current, event);
            if (missing.isEmpty()) {
                break;
            }
            addColumns(table, missing);
            current = read(table);
        }
        return current;
    }

    public void invalidate(String table) {
        cache.remove(table);
        complete.remove(table);
    }

    public void invalidateAll() {
        cache.clear();
        complete.clear();
    }

    private List<ColumnMeta> missingColumns(TargetTable table, ChangeEvent event) {
        List<ColumnMeta> missing = new ArrayList<>();
        // Events of one table version share their column list: once all of it is in the table, it need not be checked again.
        if (complete.get(table.name()) != event.columns()) {
            for (ColumnMeta c : event.columns()) {
                if (table.column(c.name()) == null) {
                    missing.add(c);
                }
            }
        }
        for (ObjectNode image : new ObjectNode[] {event.key(), event.before(), event.after()}) {
            if (image == null) {
                continue;
            }
            for (Iterator<String> names = image.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (event.column(name) == null && table.column(name) == null) {
                    throw new PoisonEventException("column `" + name + "` is not in table `" + table.name()
                            + "` and the event carries no metadata to add it");
                }
            }
        }
        if (missing.isEmpty() && !event.columns().isEmpty()) {
            complete.put(table.name(), event.columns());
        }
        return missing;
    }

    private void create(String table, ChangeEvent event) throws SQLException {
        if (event.columns().isEmpty()) {
            throw new PoisonEventException("table `" + table + "` does not exist on the target and the event carries no column metadata to create it");
        }
        StringJoiner defs = new StringJoiner(", ", "CREATE TABLE IF NOT EXISTS " + Sql.quote(table) + " (", "");
        for (ColumnMeta c : event.columns()) {
            defs.add(Sql.quote(c.name()) + " " + types.columnType(table, c.name(), sqlType(c)) + (c.nullable() ? " NULL" : " NOT NULL"));
        }
        List<String> key = event.keyColumns();
        if (!key.isEmpty()) {
            StringJoiner pk = new StringJoiner(", ", "PRIMARY KEY (", ")");
            for (String k : key) {
                ColumnMeta meta = event.column(k);
                pk.add(Sql.quote(meta == null ? k : meta.name()));
            }
            defs.add(pk.toString());
        }
        String ddl = defs + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
        log.info("Creating target table `{}` from the metadata of {}.{}: {}", table, event.db(), event.table(), ddl);
        execute(ddl, ER_TABLE_EXISTS);
    }

    private void addColumns(String table, List<ColumnMeta> columns) throws SQLException {
        StringJoiner ddl = new StringJoiner(", ", "ALTER TABLE " + Sql.quote(table) + " ", "");
        for (ColumnMeta c : columns) {
            ddl.add("ADD COLUMN " + Sql.quote(c.name()) + " " + types.columnType(table, c.name(), sqlType(c)) + addedColumnTail(c));
        }
        log.info("Adding columns to target table `{}`: {}", table, ddl);
        execute(ddl.toString(), ER_DUP_FIELDNAME);
    }

    /**
     * An added column takes the source's default, so rows that existed before the ALTER get the value the source
     * filled in (the ALTER itself produces no row events). Without a default it is NULL-able.
     */
    static String addedColumnTail(ColumnMeta c) {
        String literal = defaultLiteral(c);
        if (literal == null) {
            return " NULL";
        }
        return (c.nullable() ? " NULL" : " NOT NULL") + " DEFAULT " + literal;
    }

    static String defaultLiteral(ColumnMeta c) {
        com.fasterxml.jackson.databind.JsonNode d = c.defaultValue();
        if (d == null || d.isNull() || "JSON".equalsIgnoreCase(c.type())) {
            return null;
        }
        if (d.isNumber()) {
            return d.asText();
        }
        if (d.isBoolean()) {
            return d.asBoolean() ? "1" : "0";
        }
        if (d.isTextual()) {
            String type = c.type() == null ? "" : c.type().toUpperCase(java.util.Locale.ROOT);
            if (type.contains("BLOB") || type.contains("BINARY")) {
                return "X'" + java.util.HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(d.asText())) + "'";
            }
            return "'" + d.asText().replace("\\", "\\\\").replace("'", "''") + "'";
        }
        return null;
    }

    private static String sqlType(ColumnMeta c) {
        String type = c.sqlType() != null && !c.sqlType().isBlank() ? c.sqlType() : c.type();
        if (type == null || type.isBlank()) {
            throw new PoisonEventException("column `" + c.name() + "` has neither sql_type nor type");
        }
        return type;
    }

    private void execute(String ddl, int toleratedError) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            st.execute(Sql.SESSION_SETUP);
            st.execute(ddl);
        } catch (SQLException e) {
            // Another processor instance may have run the same DDL a moment ago: re-reading the structure settles it.
            if (e.getErrorCode() != toleratedError) {
                throw e;
            }
        }
    }

    private TargetTable read(String table) throws SQLException {
        Map<String, TargetTable.Column> columns = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE FROM information_schema.COLUMNS "
                     + "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    columns.put(name.toLowerCase(Locale.ROOT), new TargetTable.Column(name, rs.getString(2), rs.getString(3)));
                }
            }
        }
        TargetTable structure = new TargetTable(table, Map.copyOf(columns));
        complete.remove(table);
        if (structure.exists()) {
            cache.put(table, structure);
        } else {
            cache.remove(table);
        }
        return structure;
    }
}
