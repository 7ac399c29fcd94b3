package dev.cdc.processor.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cdc.processor.event.PoisonEventException;
import org.junit.jupiter.api.Test;

class TableNamesTest {

    @Test
    void formatsDbAndTable() {
        assertEquals("customers", TableNames.format("{table}", "shop", "customers"));
        assertEquals("shop_customers", TableNames.format("{db}_{table}", "shop", "customers"));
        assertEquals("src_customers", TableNames.format("src_{table}", "shop", "customers"));
    }

    @Test
    void rejectsTheWatermarkTableAndOverlongNames() {
        assertThrows(PoisonEventException.class, () -> TableNames.format("{table}", "shop", "cdc_apply_watermark"));
        assertThrows(PoisonEventException.class, () -> TableNames.format("{db}_{table}", "d".repeat(40), "t".repeat(40)));
    }

    @Test
    void quotesIdentifiers() {
        assertEquals("`a``b`", Sql.quote("a`b"));
        assertEquals("`order`", Sql.quote("order"));
    }
}
