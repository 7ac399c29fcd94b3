package dev.cdc.demo.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ThroughputScenarioTest {

    @Test
    void aNumberIsThatManyFiveColumnTables() {
        ThroughputScenario eight = ThroughputScenario.parse(" 8 ");
        assertEquals(8, eight.tables().size());
        assertEquals("events1", eight.tables().get(0));
        assertEquals("events8", eight.tables().get(7));
        assertEquals(5, eight.columns());
    }

    @Test
    void wide30IsOneTableOfThirtyColumns() {
        ThroughputScenario wide = ThroughputScenario.parse("wide30");
        assertEquals(List.of("wide1"), wide.tables());
        // DECIMAL(12,2) and the ENUM's list hold commas that do not separate columns.
        assertEquals(30, wide.columns());
        StringBuilder row = new StringBuilder();
        wide.appendRow(row, 42);
        assertTrue(row.toString().startsWith("(42,") && row.toString().endsWith(")"), row.toString());
    }

    @Test
    void anUnknownScenarioNamesTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ThroughputScenario.parse("wide"));
        assertEquals("scenario 'wide' is unknown: use a number of 5-column tables (e.g. 1, 8) or wide30", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ThroughputScenario.parse("0"));
    }
}
