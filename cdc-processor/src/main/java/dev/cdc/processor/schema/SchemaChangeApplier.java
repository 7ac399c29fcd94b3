package dev.cdc.processor.schema;

import dev.cdc.processor.apply.Sql;
import dev.cdc.processor.apply.TableNames;
import dev.cdc.processor.apply.TargetSchema;
import dev.cdc.processor.apply.TargetTypes;
import dev.cdc.processor.config.ProcessorConfig;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies schema changes to the target (docs/design.md, "Schema changes"): the source's statement with its table names
 * rewritten ({@link TargetStatements}), as far as {@code cdc.processor.schema-changes} allows. What is not mirrored is
 * logged once per table and reason. After a change the target's columns are checked against the source's table
 * definition; a difference is logged.
 *
 * <p>A change that must wait for every partition ({@link SchemaChange#needsBarrier()}) goes through {@link #arrive} in
 * the apply transaction and {@link #tryComplete} after it; a CREATE TABLE is applied at once ({@link #applyNow}): no
 * row of the table can be behind it.
 */
@Singleton
public class SchemaChangeApplier {

    private static final Logger log = LoggerFactory.getLogger(SchemaChangeApplier.class);
    private static final int ER_TABLE_EXISTS = 1050;
    private static final int ER_NO_SUCH_TABLE = 1146;
    /** Errors of a statement that was applied before (a crash between the DDL and its record): settled by the check. */
    private static final Set<Integer> ALREADY_APPLIED = Set.of(1050, 1054, 1060, 1061, 1068, 1091, 1146);

    private final DataSource dataSource;
    private final TableNames names;
    private final TargetSchema schema;
    private final TargetTypes types;
    private final SchemaChangeMode mode;
    private final NotMirroredSchemaChanges notMirrored;
    private final Set<String> loggedOnce = ConcurrentHashMap.newKeySet();
    private volatile boolean tablesReady;

    public SchemaChangeApplier(DataSource dataSource, TableNames names, TargetSchema schema, TargetTypes types, NotMirroredSchemaChanges notMirrored,
                               ProcessorConfig config) {
        this.dataSource = dataSource;
        this.notMirrored = notMirrored;
        this.names = names;
        this.schema = schema;
        this.types = types;
        this.mode = SchemaChangeMode.parse(config.getSchemaChanges());
    }

    public SchemaChangeMode mode() {
        return mode;
    }

    /** Creates the alignment tables once; DDL, so never inside an apply transaction. */
    public void prepare() throws SQLException {
        if (tablesReady) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            SchemaBarrier.createTables(c);
        }
        tablesReady = true;
    }

    /** True when the change goes through the barrier; false when it is applied at once or not at all ({@link #applyNow}). */
    public boolean needsBarrier(SchemaChange change) {
        return mode != SchemaChangeMode.NONE && change.needsBarrier();
    }

    /** A change without barrier: a CREATE TABLE is applied; with mode none nothing is, and that is logged once. */
    public void applyNow(SchemaChange change) throws SQLException {
        if (mode == SchemaChangeMode.NONE) {
            notMirrored(change, "cdc.processor.schema-changes is none");
            return;
        }
        execute(change);
    }

    /** Records in the apply transaction {@code c} that the partition applied every row before the change. */
    public void arrive(Connection c, SchemaChange change, String topic, int partition) throws SQLException {
        SchemaBarrier.arrive(c, change.key(), topic, partition);
    }

    /**
     * Applies the change if every copy has arrived and no instance applied it yet.
     *
     * @return true when the change is applied (now or before): the partition may move past it
     */
    public boolean tryComplete(SchemaChange change) throws SQLException {
        String key = change.key();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            if (SchemaBarrier.applied(c, key)) {
                return true;
            }
            if (SchemaBarrier.arrivals(c, key) < change.copies()) {
                return false;
            }
            if (!SchemaBarrier.lock(c, key, 30)) {
                return false;
            }
            try {
                if (SchemaBarrier.applied(c, key)) {
                    return true;
                }
                String statement = execute(change);
                SchemaBarrier.recordApplied(c, key, names.target(change.db(), change.table()), statement == null ? "not-mirrored" : "applied", statement);
                return true;
            } finally {
                SchemaBarrier.unlock(c, key);
            }
        }
    }

    /** Runs the change on the target; returns the statement run, or null when it is not mirrored. */
    private String execute(SchemaChange change) throws SQLException {
        String target = names.target(change.db(), change.table());
        String quoted = Sql.quote(target);
        String previous = change.previous() == null ? null : names.target(change.previous().db(), change.previous().table());
        try {
            switch (change.kind()) {
                case CREATE -> {
                    String ddl = types.statement(target, TargetStatements.rewrite(change.ddl(), change.database(), this::quotedTarget));
                    if (run(ddl, Set.of(ER_TABLE_EXISTS))) {
                        log.info("Created target table {} for {}.{}: {}", quoted, change.db(), change.table(), ddl);
                    } else {
                        // Each partition's copy of a CREATE gets here; the first one created it.
                        log.debug("Target table {} exists already; kept it ({}.{} created at {})", quoted, change.db(), change.table(), change.position());
                    }
                    check(change, target);
                    return ddl;
                }
                case ALTER -> {
                    if (previous != null && !exists(previous) && exists(target)) {
                        log.info("Target table {} was renamed to {} before; nothing to do", Sql.quote(previous), quoted);
                        return null;
                    }
                    String ddl = previous != null && TargetStatements.isRenameTable(change.ddl())
                            ? "RENAME TABLE " + Sql.quote(previous) + " TO " + quoted
                            : types.statement(target, TargetStatements.rewrite(change.ddl(), change.database(), this::quotedTarget));
                    if (mode == SchemaChangeMode.ADDITIVE) {
                        List<String> kept = new ArrayList<>();
                        String additive = TargetStatements.withoutColumnDrops(ddl, column -> keepColumn(target, column, kept));
                        if (!kept.isEmpty()) {
                            notMirrored(change, "cdc.processor.schema-changes is additive: column(s) " + kept + " kept, made NULL-able");
                        }
                        if (additive == null) {
                            return null;
                        }
                        ddl = additive;
                    }
                    if (!run(ddl, ALREADY_APPLIED)) {
                        log.info("Schema change of {} at {} was applied before (the target says so): {}", quoted, change.position(), ddl);
                    } else {
                        log.info("Applied to {} ({}.{} at {}): {}", quoted, change.db(), change.table(), change.position(), ddl);
                    }
                    check(change, target);
                    return ddl;
                }
                case DROP -> {
                    if (mode == SchemaChangeMode.ADDITIVE) {
                        notMirrored(change, "cdc.processor.schema-changes is additive: the target table is kept");
                        return null;
                    }
                    String ddl = "DROP TABLE IF EXISTS " + quoted;
                    run(ddl, Set.of());
                    log.info("Dropped target table {} ({}.{} dropped at {})", quoted, change.db(), change.table(), change.position());
                    return ddl;
                }
                case TRUNCATE -> {
                    String ddl = "TRUNCATE TABLE " + quoted;
                    run(ddl, Set.of(ER_NO_SUCH_TABLE));
                    log.info("Truncated target table {} ({}.{} truncated at {})", quoted, change.db(), change.table(), change.position());
                    return ddl;
                }
                default -> throw new IllegalStateException(change.kind().toString());
            }
        } finally {
            schema.invalidate(target);
            if (previous != null) {
                schema.invalidate(previous);
            }
        }
    }

    private String quotedTarget(String db, String table) {
        return Sql.quote(names.target(db, table));
    }

    /** A MODIFY that keeps a column the source dropped, NULL-able so that later rows without it still fit; null if absent. */
    private String keepColumn(String table, String column, List<String> kept) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME, COLUMN_TYPE, CHARACTER_SET_NAME, COLLATION_NAME FROM information_schema.COLUMNS"
                     + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?")) {
            ps.setString(1, table);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                kept.add(rs.getString(1));
                String charset = rs.getString(3);
                return "MODIFY COLUMN " + Sql.quote(rs.getString(1)) + " " + rs.getString(2)
                        + (charset == null ? "" : " CHARACTER SET " + charset + " COLLATE " + rs.getString(4)) + " NULL";
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading column `" + column + "` of `" + table + "`: " + e.getMessage(), e);
        }
    }

    /** Runs one statement on its own auto-commit connection; false when it failed with one of {@code tolerated}. */
    private boolean run(String ddl, Set<Integer> tolerated) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            st.execute(Sql.SESSION_SETUP);
            st.execute(ddl);
            return true;
        } catch (SQLException e) {
            if (tolerated.contains(e.getErrorCode())) {
                return false;
            }
            throw new SQLException("schema change failed on the target (" + e.getMessage() + "): " + ddl, e.getSQLState(), e.getErrorCode(), e);
        }
    }

    private boolean exists(String table) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Compares the target's columns (names, order, nullability) with the source's definition; logs a difference. */
    private void check(SchemaChange change, String table) throws SQLException {
        SchemaChange.Definition d = change.definition();
        if (d == null) {
            return;
        }
        List<String> target = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME, IS_NULLABLE FROM information_schema.COLUMNS"
                     + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    target.add(rs.getString(1).toLowerCase(Locale.ROOT) + ("YES".equals(rs.getString(2)) ? " NULL" : " NOT NULL"));
                }
            }
        }
        List<String> source = d.columns().stream()
                .map(col -> col.name().toLowerCase(Locale.ROOT) + (col.nullable() ? " NULL" : " NOT NULL")).toList();
        if (!source.equals(target) && mode == SchemaChangeMode.MIRROR) {
            log.warn("After the schema change at {} target table `{}` has columns {} but {}.{} has {}; rows are applied by column name. "
                    + "Align the target table by hand if the difference matters.", change.position(), table, target, change.db(), change.table(), source);
        }
    }

    private void notMirrored(SchemaChange change, String reason) {
        String table = names.target(change.db(), change.table());
        notMirrored.record(table, change);
        if (loggedOnce.add(table + "\u0000" + change.kind() + "\u0000" + reason)) {
            log.warn("Not mirrored on target table `{}`: {} of {}.{} at {} ({}). Further ones of this kind on this table are not logged.",
                    table, change.kind(), change.db(), change.table(), change.position(), reason);
        }
    }
}
