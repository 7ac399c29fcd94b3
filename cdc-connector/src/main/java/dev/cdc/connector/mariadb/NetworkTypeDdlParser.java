package dev.cdc.connector.mariadb;

import io.debezium.connector.binlog.BinlogDatabaseSchema;
import io.debezium.relational.Column;
import io.debezium.relational.SystemVariables;
import io.debezium.relational.Table;
import io.debezium.relational.TableId;
import io.debezium.relational.Tables;
import io.debezium.relational.ddl.DdlChanges;
import io.debezium.relational.ddl.DdlParser;
import io.debezium.relational.ddl.DdlParserListener;
import io.debezium.schema.DatabaseSchema;
import java.lang.reflect.Field;
import java.sql.Types;
import java.util.Map;

/**
 * Debezium's MariaDB DDL parser with INET4/INET6 columns understood: each statement is given to the grammar with those
 * types written as BINARY(4)/BINARY(16) ({@link NetworkTypeDdl}); the parsed columns get their real type name back
 * (so the event's {@code type}, the schema history and {@code NetworkAddressConverter} see INET4/INET6), and the
 * reported statements are the source's text. Statements without these types go to Debezium's parser unchanged.
 */
public final class NetworkTypeDdlParser implements DdlParser {

    private final DdlParser delegate;

    NetworkTypeDdlParser(DdlParser delegate) {
        this.delegate = delegate;
    }

    /**
     * Puts this parser in front of the schema's own. Debezium 3.5 offers no way to choose the MariaDB schema's DDL parser
     * (the task creates the schema with {@code new}, and the schema keeps its parser in a private final field), so the
     * field is replaced; the task calls this before the schema history is recovered and before any snapshot or binlog
     * statement is parsed.
     */
    static void install(DatabaseSchema<?> schema) {
        if (!(schema instanceof BinlogDatabaseSchema<?, ?, ?, ?>)) {
            throw new IllegalStateException("Cannot read INET4/INET6 columns: the schema is a " + schema.getClass().getName()
                    + ", not Debezium's binlog schema; use Debezium 3.5.0.Final's MariaDB connector");
        }
        try {
            Field field = BinlogDatabaseSchema.class.getDeclaredField("ddlParser");
            field.setAccessible(true);
            DdlParser current = (DdlParser) field.get(schema);
            if (!(current instanceof NetworkTypeDdlParser)) {
                field.set(schema, new NetworkTypeDdlParser(current));
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("Cannot read INET4/INET6 columns: Debezium's MariaDB schema has no replaceable DDL parser ("
                    + e + "); use Debezium 3.5.0.Final", e);
        }
    }

    @Override
    public DdlChanges parse(String ddlContent, Tables databaseTables) {
        NetworkTypeDdl ddl = NetworkTypeDdl.of(ddlContent);
        if (!ddl.rewritten()) {
            return delegate.parse(ddlContent, databaseTables);
        }
        DdlChanges parsed = delegate.parse(ddl.parsed(), databaseTables);
        DdlChanges changes = new DdlChanges();
        parsed.getEventsByDatabase((database, events) -> {
            for (DdlParserListener.Event event : events) {
                if (event instanceof DdlParserListener.TableCreatedEvent || event instanceof DdlParserListener.TableAlteredEvent) {
                    restoreTypes(databaseTables, ((DdlParserListener.TableEvent) event).tableId(), ddl.columnTypes());
                }
                changes.handle(withSourceStatement(event, ddl));
            }
        });
        return changes;
    }

    /** Gives the rewritten columns of the table their source type name (they keep BINARY's JDBC type and size). */
    static void restoreTypes(Tables tables, TableId id, Map<String, String> columnTypes) {
        Table table = tables.forTable(id);
        if (table == null) {
            return;
        }
        boolean changed = false;
        var editor = table.edit();
        for (Column column : table.columns()) {
            String type = columnTypes.get(column.name().toLowerCase(java.util.Locale.ROOT));
            if (type != null && column.jdbcType() == Types.BINARY && column.length() == NetworkTypeDdl.SIZE.get(type)
                    && "BINARY".equalsIgnoreCase(column.typeName())) {
                editor.updateColumn(column.edit().type(type, type).create());
                changed = true;
            }
        }
        if (changed) {
            tables.overwriteTable(editor.create());
        }
    }

    private static DdlParserListener.Event withSourceStatement(DdlParserListener.Event event, NetworkTypeDdl ddl) {
        String statement = ddl.original(event.statement());
        if (statement == null || statement.equals(event.statement())) {
            return event;
        }
        if (event instanceof DdlParserListener.TableCreatedEvent e) {
            return new DdlParserListener.TableCreatedEvent(e.tableId(), statement, e.isView());
        }
        if (event instanceof DdlParserListener.TableAlteredEvent e) {
            return new DdlParserListener.TableAlteredEvent(e.tableId(), e.previousTableId(), statement, e.isView());
        }
        if (event instanceof DdlParserListener.TableDroppedEvent e) {
            return new DdlParserListener.TableDroppedEvent(e.tableId(), statement, e.isView());
        }
        if (event instanceof DdlParserListener.TableTruncatedEvent e) {
            return new DdlParserListener.TableTruncatedEvent(e.tableId(), statement, e.isView());
        }
        if (event instanceof DdlParserListener.TableIndexCreatedEvent e) {
            return new DdlParserListener.TableIndexCreatedEvent(e.indexName(), e.tableId(), statement);
        }
        if (event instanceof DdlParserListener.TableIndexDroppedEvent e) {
            return new DdlParserListener.TableIndexDroppedEvent(e.indexName(), e.tableId(), statement);
        }
        return event;
    }

    @Override
    public void setCurrentDatabase(String databaseName) {
        delegate.setCurrentDatabase(databaseName);
    }

    @Override
    public void setCurrentSchema(String schemaName) {
        delegate.setCurrentSchema(schemaName);
    }

    @Override
    public SystemVariables systemVariables() {
        return delegate.systemVariables();
    }
}
