package dev.cdc.connector.mariadb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkTypeDdlTest {

    @Test
    void showCreateTableColumnsAreRewritten() {
        String ddl = "CREATE TABLE `n` (\n  `id` int(11) NOT NULL,\n  `a` inet4 DEFAULT NULL,\n  `b` inet6 NOT NULL DEFAULT '::1',\n"
                + "  PRIMARY KEY (`id`)\n) ENGINE=InnoDB";
        NetworkTypeDdl rewrite = NetworkTypeDdl.of(ddl);
        assertTrue(rewrite.rewritten());
        assertEquals("CREATE TABLE `n` (\n  `id` int(11) NOT NULL,\n  `a` BINARY(4) DEFAULT NULL,\n  `b` BINARY(16) NOT NULL DEFAULT '::1',\n"
                + "  PRIMARY KEY (`id`)\n) ENGINE=InnoDB", rewrite.parsed());
        assertEquals(Map.of("a", "INET4", "b", "INET6"), rewrite.columnTypes());
        assertEquals(ddl, rewrite.original(rewrite.parsed()));
    }

    @Test
    void alterTableForms() {
        assertEquals("ALTER TABLE t ADD COLUMN c BINARY(16), ADD d BINARY(4) NULL, ADD COLUMN IF NOT EXISTS e BINARY(16)",
                NetworkTypeDdl.of("ALTER TABLE t ADD COLUMN c INET6, ADD d inet4 NULL, ADD COLUMN IF NOT EXISTS e Inet6").parsed());
        NetworkTypeDdl change = NetworkTypeDdl.of("ALTER TABLE t MODIFY c INET4, MODIFY COLUMN d INET6, CHANGE old `new` INET6, "
                + "CHANGE COLUMN IF EXISTS x y INET4");
        assertEquals("ALTER TABLE t MODIFY c BINARY(4), MODIFY COLUMN d BINARY(16), CHANGE old `new` BINARY(16), "
                + "CHANGE COLUMN IF EXISTS x y BINARY(4)", change.parsed());
        assertEquals(Map.of("c", "INET4", "d", "INET6", "new", "INET6", "y", "INET4"), change.columnTypes());
    }

    @Test
    void namesStringsCommentsAndCastsAreLeftAlone() {
        String ddl = "CREATE TABLE inet6 (inet6 INT COMMENT 'an INET6 value', inet4 VARCHAR(15) DEFAULT 'inet4', "
                + "g VARCHAR(39) AS (CAST(inet4 AS INET4)) /* x INET6 */)";
        NetworkTypeDdl rewrite = NetworkTypeDdl.of(ddl);
        assertFalse(rewrite.rewritten());
        assertEquals(ddl, rewrite.parsed());
        assertEquals("ALTER TABLE t ADD COLUMN inet6 INT, MODIFY inet4 BIGINT",
                NetworkTypeDdl.of("ALTER TABLE t ADD COLUMN inet6 INT, MODIFY inet4 BIGINT").parsed());
        assertEquals("CREATE TABLE t (`inet6` BINARY(16))", NetworkTypeDdl.of("CREATE TABLE t (`inet6` INET6)").parsed());
    }

    @Test
    void statementsMapBackToTheSourceText() {
        String ddl = "CREATE TABLE a (x INET6, y INET4, z INT); CREATE TABLE b (w inet6)";
        NetworkTypeDdl rewrite = NetworkTypeDdl.of(ddl);
        assertEquals("CREATE TABLE a (x INET6, y INET4, z INT)", rewrite.original("CREATE TABLE a (x BINARY(16), y BINARY(4), z INT)"));
        assertEquals("CREATE TABLE b (w inet6)", rewrite.original("CREATE TABLE b (w BINARY(16))"));
        assertEquals("not part of it", rewrite.original("not part of it"));
    }
}
