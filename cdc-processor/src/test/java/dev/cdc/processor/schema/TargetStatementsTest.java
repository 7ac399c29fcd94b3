package dev.cdc.processor.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdc.contract.ddl.RenamedTables;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetStatementsTest {

    private static final TargetStatements.Names NAMES = (db, table) -> "`" + db + "_" + table + "`";

    @Test
    void rewritesTheTableOfCreateAndAlterAndKeepsEverythingElse() {
        assertEquals("CREATE TABLE `shop_t` (id INT, note VARCHAR(10) COLLATE utf8mb4_bin DEFAULT 'shop.t', c CHAR(2) COMMENT 'x`y')",
                TargetStatements.rewrite("CREATE TABLE shop.t (id INT, note VARCHAR(10) COLLATE utf8mb4_bin DEFAULT 'shop.t', c CHAR(2) COMMENT 'x`y')", "shop", NAMES));
        assertEquals("CREATE TABLE IF NOT EXISTS `shop_t` (id INT)",
                TargetStatements.rewrite("CREATE TABLE IF NOT EXISTS `t` (id INT)", "shop", NAMES));
        assertEquals("ALTER TABLE `shop_t` RENAME COLUMN a TO b, ADD COLUMN c INT",
                TargetStatements.rewrite("ALTER TABLE `shop`.`t` RENAME COLUMN a TO b, ADD COLUMN c INT", "other", NAMES));
        assertEquals("ALTER TABLE `shop_t` RENAME TO `shop_u`", TargetStatements.rewrite("alter table t rename to u", "shop", NAMES)
                .replace("alter table", "ALTER TABLE").replace("rename to", "RENAME TO"));
    }

    @Test
    void rewritesLikeAndReferences() {
        assertEquals("CREATE TABLE `shop_copy` LIKE `shop_orig`", TargetStatements.rewrite("CREATE TABLE copy LIKE shop.orig", "shop", NAMES));
        assertEquals("CREATE TABLE `shop_c` (LIKE `x_o`)", TargetStatements.rewrite("CREATE TABLE c (LIKE x.o)", "shop", NAMES));
        assertEquals("CREATE TABLE `shop_l` (id INT, p INT, FOREIGN KEY (p) REFERENCES `shop_parent` (id))",
                TargetStatements.rewrite("CREATE TABLE l (id INT, p INT, FOREIGN KEY (p) REFERENCES parent (id))", "shop", NAMES));
    }

    @Test
    void additiveTurnsColumnDropsIntoNullableColumnsAndKeepsOtherDrops() {
        String alter = "ALTER TABLE `t` DROP COLUMN a, ADD COLUMN d INT, DROP b, DROP INDEX ix, DROP PRIMARY KEY, DROP COLUMN IF EXISTS gone";
        String out = TargetStatements.withoutColumnDrops(alter, c -> c.equals("gone") ? null : "MODIFY COLUMN `" + c + "` INT NULL");
        assertEquals("ALTER TABLE `t` MODIFY COLUMN `a` INT NULL, ADD COLUMN d INT, MODIFY COLUMN `b` INT NULL, DROP INDEX ix, DROP PRIMARY KEY", out);
        assertNull(TargetStatements.withoutColumnDrops("ALTER TABLE t DROP COLUMN gone", c -> null));
        assertEquals("ALTER TABLE t ADD COLUMN e DECIMAL(10,2)", TargetStatements.withoutColumnDrops("ALTER TABLE t ADD COLUMN e DECIMAL(10,2)", c -> null));
    }

    @Test
    void findsRenames() {
        assertEquals(List.of(new RenamedTables.Rename(null, "a", null, "b"), new RenamedTables.Rename("shop", "c", "shop", "d")),
                RenamedTables.of("RENAME TABLE a TO b, shop.c TO `shop`.`d`"));
        assertEquals(List.of(new RenamedTables.Rename(null, "a", null, "b")), RenamedTables.of("ALTER TABLE a ADD COLUMN x INT, RENAME AS b"));
        assertTrue(RenamedTables.of("ALTER TABLE a RENAME COLUMN x TO y").isEmpty());
        assertTrue(TargetStatements.isRenameTable("rename table a to b"));
        assertFalse(TargetStatements.isRenameTable("ALTER TABLE a RENAME TO b"));
    }
}
