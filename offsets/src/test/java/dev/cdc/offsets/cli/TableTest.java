package dev.cdc.offsets.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void columnsArePaddedToTheWidestCellAndNumbersAlignRight() {
        Table t = new Table("TOPIC", "LAG").right(1);
        t.row("demo.shop.customers", 2).row("demo.shop.orders", 1234).row("total", null);
        assertEquals(List.of(
                "TOPIC                 LAG",
                "demo.shop.customers     2",
                "demo.shop.orders     1234",
                "total                   -"), t.lines());
    }

    @Test
    void withoutHeadersItIsAKeyValueBlockWithoutTrailingBlanks() {
        Table t = new Table();
        t.row("connector", "demo").row("gtid set", null).row("event time", "2025-01-01T00:00:00Z (3 s ago)");
        assertEquals(List.of(
                "connector   demo",
                "gtid set    -",
                "event time  2025-01-01T00:00:00Z (3 s ago)"), t.lines());
    }

    @Test
    void nonAsciiCellsAreMeasuredInCharactersNotBytes() {
        Table t = new Table("A", "B");
        t.row("Dijkstra 🙂", "x").row("ab", "y");
        assertEquals(List.of("A           B", "Dijkstra 🙂  x", "ab          y"), t.lines());
    }
}
