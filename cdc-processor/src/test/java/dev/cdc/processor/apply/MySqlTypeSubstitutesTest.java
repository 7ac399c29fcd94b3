package dev.cdc.processor.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class MySqlTypeSubstitutesTest {

    @Test
    void columnTypes() {
        assertEquals("VARCHAR(15) CHARACTER SET ascii COLLATE ascii_bin", MySqlTypeSubstitutes.forColumnType("INET4"));
        assertEquals("VARCHAR(39) CHARACTER SET ascii COLLATE ascii_bin", MySqlTypeSubstitutes.forColumnType("inet6"));
        assertEquals("CHAR(36) CHARACTER SET ascii COLLATE ascii_bin", MySqlTypeSubstitutes.forColumnType("UUID"));
        assertNull(MySqlTypeSubstitutes.forColumnType("BINARY(16)"));
        assertNull(MySqlTypeSubstitutes.forColumnType("VARCHAR(39) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"));
    }

    @Test
    void statementColumnsOnly() {
        MySqlTypeSubstitutes.Statement s = MySqlTypeSubstitutes.inStatement(
                "CREATE TABLE `t` (`id` uuid NOT NULL, `inet6` inet6 DEFAULT '::1', a INET4 COMMENT 'an INET4', PRIMARY KEY (`id`))");
        assertEquals("CREATE TABLE `t` (`id` CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL, "
                + "`inet6` VARCHAR(39) CHARACTER SET ascii COLLATE ascii_bin DEFAULT '::1', "
                + "a VARCHAR(15) CHARACTER SET ascii COLLATE ascii_bin COMMENT 'an INET4', PRIMARY KEY (`id`))", s.sql());
        assertEquals(List.of(new MySqlTypeSubstitutes.Substitution("id", "UUID", "CHAR(36) CHARACTER SET ascii COLLATE ascii_bin"),
                new MySqlTypeSubstitutes.Substitution("inet6", "INET6", "VARCHAR(39) CHARACTER SET ascii COLLATE ascii_bin"),
                new MySqlTypeSubstitutes.Substitution("a", "INET4", "VARCHAR(15) CHARACTER SET ascii COLLATE ascii_bin")), s.substitutions());
        MySqlTypeSubstitutes.Statement alter = MySqlTypeSubstitutes.inStatement("ALTER TABLE `t` ADD COLUMN u UUID, CHANGE a b inet4, MODIFY c INT");
        assertEquals("ALTER TABLE `t` ADD COLUMN u CHAR(36) CHARACTER SET ascii COLLATE ascii_bin, "
                + "CHANGE a b VARCHAR(15) CHARACTER SET ascii COLLATE ascii_bin, MODIFY c INT", alter.sql());
        String plain = "ALTER TABLE `t` ADD COLUMN uuid INT DEFAULT (uuid())";
        assertEquals(plain, MySqlTypeSubstitutes.inStatement(plain).sql());
    }
}
