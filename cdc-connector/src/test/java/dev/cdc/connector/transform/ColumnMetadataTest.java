package dev.cdc.connector.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

class ColumnMetadataTest {

    static Field field(Schema base, String type, Integer length, Integer scale, String allowed) {
        SchemaBuilder b = SchemaBuilder.type(base.type()).optional().parameter(ColumnMetadata.TYPE, type);
        if (length != null) {
            b.parameter(ColumnMetadata.LENGTH, length.toString());
        }
        if (scale != null) {
            b.parameter(ColumnMetadata.SCALE, scale.toString());
        }
        if (allowed != null) {
            b.parameter(ColumnMetadata.ALLOWED, allowed);
        }
        return new Field("c", 0, b.build());
    }

    static String sqlType(Field f, ColumnCatalog.CatalogColumn catalog) {
        return ColumnMetadata.column(f, false, catalog).sqlType();
    }

    @Test
    void withoutCatalogTheTypeIsRenderedFromDebeziumsParameters() {
        assertEquals("FLOAT(7,5)", sqlType(field(Schema.FLOAT64_SCHEMA, "FLOAT", 7, 5, null), null));
        assertEquals("DOUBLE(20,4) UNSIGNED", sqlType(field(Schema.FLOAT64_SCHEMA, "DOUBLE UNSIGNED", 20, 4, null), null));
        assertEquals("FLOAT", sqlType(field(Schema.FLOAT32_SCHEMA, "FLOAT", null, null, null), null));
        assertEquals("GEOMETRYCOLLECTION", sqlType(field(Schema.BYTES_SCHEMA, "GEOMCOLLECTION", null, null, null), null));
        assertEquals("GEOMETRYCOLLECTION", sqlType(field(Schema.BYTES_SCHEMA, "GEOMCOLLECTION", null, null, null),
                new ColumnCatalog.CatalogColumn("geomcollection", "geomcollection", null, null, null, false)), "MariaDB has no GEOMCOLLECTION");
        assertEquals("NCHAR(10)", sqlType(field(Schema.STRING_SCHEMA, "NCHAR", 10, null, null), null));
        assertEquals("NVARCHAR(30)", sqlType(field(Schema.STRING_SCHEMA, "NVARCHAR", 30, null, null), null));
        assertEquals("DECIMAL(65,30)", sqlType(field(Schema.STRING_SCHEMA, "DECIMAL", 65, 30, null), null));
        assertEquals("DATETIME(3)", sqlType(field(Schema.INT64_SCHEMA, "DATETIME", 3, null, null), null));
        assertEquals("ENUM('a','it''s')", sqlType(field(Schema.STRING_SCHEMA, "ENUM", 1, null, "a,it's"), null));
        assertEquals("ENUM('a,b','x\\\\y')", sqlType(field(Schema.STRING_SCHEMA, "ENUM", 1, null, "a\\,b,x\\\\y"), null), "Debezium escapes commas and backslashes");
        assertEquals(List.of("a,b", "x\\y", ""), ColumnMetadata.allowedMembers("a\\,b,x\\\\y,"));
    }

    @Test
    void theCatalogGivesExactMembersAndTheCharacterSet() {
        ColumnCatalog.CatalogColumn e = new ColumnCatalog.CatalogColumn("enum", "enum('a,b','c''d','É')", 3L, "utf8mb4", "utf8mb4_bin", false);
        assertEquals("ENUM('a,b','c''d','É') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
                sqlType(field(Schema.STRING_SCHEMA, "ENUM", 1, null, "a\\,b,c'd,É"), e));
        ColumnCatalog.CatalogColumn emoji = new ColumnCatalog.CatalogColumn("enum", "enum('a,b','Ü ?','x\\\\y','?')", 3L, "utf8mb4", "utf8mb4_bin", false);
        assertEquals("ENUM('a,b','Ü 🎉','x\\\\y','?') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
                sqlType(field(Schema.STRING_SCHEMA, "ENUM", 1, null, "a\\,b,Ü 🎉,x\\\\y,?"), emoji), "information_schema shows 4-byte characters as '?'");
        ColumnCatalog.CatalogColumn nchar = new ColumnCatalog.CatalogColumn("char", "char(10)", 10L, "utf8mb3", "utf8mb3_general_ci", false);
        assertEquals("CHAR(10) CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci", sqlType(field(Schema.STRING_SCHEMA, "NCHAR", 10, null, null), nchar));
        ColumnCatalog.CatalogColumn latin = new ColumnCatalog.CatalogColumn("varchar", "varchar(20)", 20L, "latin1", "latin1_swedish_ci", false);
        assertEquals("VARCHAR(20) CHARACTER SET latin1 COLLATE latin1_swedish_ci", sqlType(field(Schema.STRING_SCHEMA, "VARCHAR", 20, null, null), latin));
        ColumnCatalog.CatalogColumn floating = new ColumnCatalog.CatalogColumn("float", "float(7,5)", null, null, null, false);
        assertEquals("FLOAT(7,5)", sqlType(field(Schema.FLOAT64_SCHEMA, "FLOAT", 7, 5, null), floating));
    }

    @Test
    void aCatalogOfAnotherTableVersionIsNotUsed() {
        ColumnCatalog.CatalogColumn wider = new ColumnCatalog.CatalogColumn("varchar", "varchar(50)", 50L, "utf8mb4", "utf8mb4_bin", false);
        assertEquals("VARCHAR(10)", sqlType(field(Schema.STRING_SCHEMA, "VARCHAR", 10, null, null), wider));
        ColumnCatalog.CatalogColumn moreMembers = new ColumnCatalog.CatalogColumn("enum", "enum('a','b','c')", 1L, "utf8mb4", "utf8mb4_bin", false);
        assertEquals("ENUM('a','b')", sqlType(field(Schema.STRING_SCHEMA, "ENUM", 1, null, "a,b"), moreMembers));
        ColumnCatalog.CatalogColumn otherType = new ColumnCatalog.CatalogColumn("bigint", "bigint(20)", null, null, null, false);
        assertEquals("INT", sqlType(field(Schema.INT32_SCHEMA, "INT", null, null, null), otherType));
        assertFalse(ColumnMetadata.sameVersion("DATETIME", 6, null, new ColumnCatalog.CatalogColumn("datetime", "datetime(3)", null, null, null, false)));
        assertTrue(ColumnMetadata.sameVersion("DATETIME", 0, null, new ColumnCatalog.CatalogColumn("datetime", "datetime", null, null, null, false)));
    }

    @Test
    void jsonColumnsAreJson() {
        ColumnCatalog.CatalogColumn json = new ColumnCatalog.CatalogColumn("longtext", "longtext", 4294967295L, "utf8mb4", "utf8mb4_bin", true);
        ColumnMetadata.Column c = ColumnMetadata.column(field(Schema.STRING_SCHEMA, "LONGTEXT", null, null, null), false, json);
        assertEquals("JSON", c.type());
        assertEquals("JSON", c.sqlType());
    }

    @Test
    void streamedMemberSpellingsMapToTheirText() {
        Map<String, String> text = ColumnMetadata.memberText("a\\,b,x\\\\y,plain");
        assertEquals(Map.of("a\\,b", "a,b", "x\\\\y", "x\\y"), text);
        assertEquals("a,b", ValueEncoder.memberText("a\\,b", text, false));
        assertEquals("a,b", ValueEncoder.memberText("a,b", text, false), "a snapshot value is already the text");
        assertEquals("plain", ValueEncoder.memberText("plain", text, false));
        assertEquals("x\\y,plain", ValueEncoder.memberText("x\\\\y,plain", text, true));
    }

    @Test
    void membersAreUnquoted() {
        assertEquals(List.of("a,b", "c'd", "", "x\\y"), ColumnMetadata.members("enum('a,b','c''d','','x\\\\y')"));
        assertEquals(List.of("sale", "eco"), ColumnMetadata.members("set('sale','eco')"));
        assertEquals(Map.of(), ColumnCatalog.NONE.of("db", "t"));
    }
}
