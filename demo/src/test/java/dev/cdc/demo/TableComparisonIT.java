package dev.cdc.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdc.localstack.LocalMariaDb;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TableComparison on a real MariaDB: two databases of one server stand for source and target. */
class TableComparisonIT {

    @TempDir
    static Path work;
    static LocalMariaDb db;
    static Connection c;

    @BeforeAll
    static void start() throws SQLException {
        db = LocalMariaDb.start(work.resolve("db"), 0);
        c = db.rootConnection();
        sql("CREATE DATABASE src", "CREATE DATABASE dst");
    }

    @AfterAll
    static void stop() throws SQLException {
        c.close();
        db.close();
    }

    @Test
    void aTableWithoutPrimaryKeyIsEqualWhenItHoldsTheSameRowsAsAMultisetInAnyOrder() throws SQLException {
        sql("CREATE TABLE src.ledger (account VARCHAR(20) NOT NULL, amount DECIMAL(12,2) NOT NULL, note VARCHAR(40) NULL)",
                "CREATE TABLE dst.ledger LIKE src.ledger",
                "INSERT INTO src.ledger VALUES ('a', 1.00, NULL), ('a', 1.00, NULL), ('b', 2.50, 'x')",
                "INSERT INTO dst.ledger VALUES ('b', 2.50, 'x'), ('a', 1.00, NULL), ('a', 1.00, NULL)");
        assertEquals(List.of(), TableComparison.differences(c, "src", c, "dst", "ledger"));

        sql("DELETE FROM dst.ledger WHERE account = 'a' LIMIT 1", "INSERT INTO dst.ledger VALUES ('b', 2.50, 'x')");
        List<String> diffs = TableComparison.differences(c, "src", c, "dst", "ledger");
        assertTrue(diffs.contains("ledger (no primary key): row [a, 1.00, null] 2x in source, 1x in target"), diffs.toString());
        assertTrue(diffs.contains("ledger (no primary key): row [b, 2.50, x] 1x in source, 2x in target"), diffs.toString());
        assertEquals(2, diffs.size(), "same row count, two rows with other counts: " + diffs);
    }

    @Test
    void aTableWithPrimaryKeyIsComparedRowByRowInKeyOrder() throws SQLException {
        sql("CREATE TABLE src.items (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL)", "CREATE TABLE dst.items LIKE src.items",
                "INSERT INTO src.items VALUES (1, 'one'), (2, 'two')", "INSERT INTO dst.items VALUES (2, 'two'), (1, 'one')");
        assertEquals(List.of(), TableComparison.differences(c, "src", c, "dst", "items"));

        sql("UPDATE dst.items SET name = 'zwei' WHERE id = 2");
        assertEquals(List.of("items row 1: source [2, two] target [2, zwei]"), TableComparison.differences(c, "src", c, "dst", "items"));
    }

    private static void sql(String... statements) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
