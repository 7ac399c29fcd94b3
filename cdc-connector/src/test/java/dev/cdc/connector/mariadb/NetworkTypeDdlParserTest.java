package dev.cdc.connector.mariadb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.debezium.connector.mariadb.antlr.MariaDbAntlrDdlParser;
import io.debezium.relational.Column;
import io.debezium.relational.Table;
import io.debezium.relational.TableId;
import io.debezium.relational.Tables;
import io.debezium.relational.ddl.DdlChanges;
import io.debezium.relational.ddl.DdlParserListener;
import io.debezium.text.ParsingException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Against Debezium 3.5's own MariaDB grammar. */
class NetworkTypeDdlParserTest {

    private final Tables tables = new Tables();
    private final NetworkTypeDdlParser parser = new NetworkTypeDdlParser(new MariaDbAntlrDdlParser());

    @Test
    void debeziumsGrammarRejectsTheTypesItself() {
        assertThrows(ParsingException.class, () -> new MariaDbAntlrDdlParser().parse("CREATE TABLE shop.n (id INT PRIMARY KEY, a INET4)", new Tables()));
    }

    @Test
    void createTableKeepsTheTypesAndTheStatement() {
        String ddl = "CREATE TABLE `n` (\n  `id` int(11) NOT NULL,\n  `a` inet4 DEFAULT NULL,\n  `b` inet6 NOT NULL DEFAULT '::1',\n"
                + "  `c` binary(16) DEFAULT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB";
        parser.setCurrentSchema("shop");
        List<DdlParserListener.Event> events = events(parser.parse(ddl, tables));
        assertEquals(1, events.size());
        assertEquals(ddl, events.get(0).statement());
        Table table = tables.forTable(new TableId("shop", null, "n"));
        assertColumn(table.columnWithName("a"), "INET4", 4, true);
        assertColumn(table.columnWithName("b"), "INET6", 16, false);
        assertColumn(table.columnWithName("c"), "BINARY", 16, true);
        assertEquals("::1", table.columnWithName("b").defaultValueExpression().orElseThrow());
    }

    @Test
    void alterTableAddsModifiesAndChangesColumns() {
        parser.setCurrentSchema("shop");
        parser.parse("CREATE TABLE n (id INT PRIMARY KEY, a INET4, v VARCHAR(10))", tables);
        String alter = "ALTER TABLE n ADD COLUMN b INET6 NOT NULL, MODIFY a INET6, CHANGE v w INET4";
        List<DdlParserListener.Event> events = events(parser.parse(alter, tables));
        assertEquals(alter, events.get(0).statement());
        Table table = tables.forTable(new TableId("shop", null, "n"));
        assertColumn(table.columnWithName("a"), "INET6", 16, true);
        assertColumn(table.columnWithName("b"), "INET6", 16, false);
        assertColumn(table.columnWithName("w"), "INET4", 4, true);
        parser.parse("ALTER TABLE n ADD COLUMN z INT", tables);
        assertColumn(tables.forTable(new TableId("shop", null, "n")).columnWithName("b"), "INET6", 16, false);
        parser.parse("ALTER TABLE n MODIFY b VARCHAR(39)", tables);
        assertEquals("VARCHAR", tables.forTable(new TableId("shop", null, "n")).columnWithName("b").typeName());
    }

    @Test
    void otherStatementsPassUnchanged() {
        parser.setCurrentSchema("shop");
        String ddl = "CREATE TABLE u (id UUID PRIMARY KEY, b BINARY(16))";
        List<DdlParserListener.Event> events = events(parser.parse(ddl, tables));
        assertEquals(ddl, events.get(0).statement());
        assertEquals("UUID", tables.forTable(new TableId("shop", null, "u")).columnWithName("id").typeName());
    }

    private static void assertColumn(Column column, String type, int length, boolean optional) {
        assertEquals(type, column.typeName(), column.name());
        assertEquals(Types.BINARY, column.jdbcType(), column.name());
        assertEquals(length, column.length(), column.name());
        assertEquals(optional, column.isOptional(), column.name());
    }

    private static List<DdlParserListener.Event> events(DdlChanges changes) {
        List<DdlParserListener.Event> out = new ArrayList<>();
        changes.getEventsByDatabase((db, events) -> out.addAll(events));
        return out;
    }
}
