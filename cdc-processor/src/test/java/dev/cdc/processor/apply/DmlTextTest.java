package dev.cdc.processor.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

class DmlTextTest {

    private final DmlText text = new DmlText();

    @Test
    void upsertUpdatesEveryColumnAndIsBuiltOncePerColumnSet() {
        DmlText.UpsertRows upsert = text.upsert("t", List.of("id", "Name", "n`x"), List.of("ID"));
        assertEquals("INSERT INTO `t` (`id`, `Name`, `n``x`) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE `id` = VALUES(`id`),"
                + " `Name` = VALUES(`Name`), `n``x` = VALUES(`n``x`)", upsert.text(1));
        assertSame(upsert, text.upsert("t", List.of("id", "Name", "n`x"), List.of("ID")));
        assertEquals("INSERT INTO `t` (`id`) VALUES (?) ON DUPLICATE KEY UPDATE `id` = VALUES(`id`)", text.upsert("t", List.of("id"), List.of("id")).text(1));
        assertEquals("INSERT INTO `t` (`a`, `b`) VALUES (?, ?)", text.upsert("t", List.of("a", "b"), List.of()).text(1));
    }

    @Test
    void manyRowsGoInOneStatement() {
        DmlText.UpsertRows upsert = text.upsert("t", List.of("id", "v"), List.of("id"));
        assertEquals("INSERT INTO `t` (`id`, `v`) VALUES (?, ?), (?, ?), (?, ?) ON DUPLICATE KEY UPDATE `id` = VALUES(`id`), `v` = VALUES(`v`)",
                upsert.text(3));
        assertEquals(2, upsert.columns());
    }

    @Test
    void deleteByKey() {
        assertEquals("DELETE FROM `t` WHERE `a` = ? AND `b` = ?", text.deleteByKey("t", List.of("a", "b")));
    }

    @Test
    void keylessRowsAreFoundByExactNullSafeComparisonsAndOneRowChanges() {
        List<ImageColumn> image = List.of(
                ImageColumn.of("s", new TargetTable.Column("s", "varchar", "varchar(10)"), ColumnType.of("VARCHAR")),
                ImageColumn.of("f", new TargetTable.Column("f", "float", "float"), ColumnType.of("FLOAT")),
                ImageColumn.of("d", new TargetTable.Column("d", "double", "double"), ColumnType.of("DOUBLE")),
                ImageColumn.of("j", new TargetTable.Column("j", "json", "json"), ColumnType.of("JSON")),
                ImageColumn.of("b", new TargetTable.Column("b", "blob", "blob"), ColumnType.of("BLOB")),
                ImageColumn.of("e", null, ColumnType.of("ENUM")));
        String where = "CAST(CONVERT(`s` USING utf8mb4) AS BINARY) <=> CAST(CONVERT(? USING utf8mb4) AS BINARY)"
                + " AND `f` <=> CAST(? AS FLOAT) AND `d` <=> ? AND `j` <=> CAST(? AS JSON) AND `b` <=> ?"
                + " AND CAST(CONVERT(`e` USING utf8mb4) AS BINARY) <=> CAST(CONVERT(? USING utf8mb4) AS BINARY)";
        assertEquals("DELETE FROM `t` WHERE " + where + " LIMIT 1", text.deleteByImage("t", image));
        assertEquals("UPDATE `t` SET `s` = ?, `f` = ? WHERE " + where + " LIMIT 1", text.updateByImage("t", List.of("s", "f"), image));
    }
}
