package dev.cdc.processor.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdc.contract.SourcePosition;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventParserTest {

    static final String UPDATE = """
            {"v":1,"op":"u",
             "source":{"connector":"demo","db":"shop","table":"customers","file":"binlog.000002","pos":4711,"event":2,"row":1,
                       "gtid":"0-1-57","server_id":1,"ts_ms":1732377600123,"snapshot":false},
             "key":{"id":42},
             "before":{"id":42,"balance":"10.00","big":18446744073709551615},
             "after":{"id":42,"balance":"12.50","big":18446744073709551615},
             "columns":[{"name":"id","type":"BIGINT UNSIGNED","sql_type":"BIGINT UNSIGNED","nullable":false,"key":true},
                        {"name":"balance","type":"DECIMAL","sql_type":"DECIMAL(12,2)","nullable":false,"key":false,"length":12,"scale":2},
                        {"name":"big","type":"BIGINT UNSIGNED","sql_type":"BIGINT UNSIGNED","nullable":true,"key":false}]}
            """;

    static ChangeEvent parse(String json) {
        return EventParser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parsesTheDocumentedExample() {
        ChangeEvent e = parse(UPDATE);
        assertEquals(ChangeEvent.Op.UPDATE, e.op());
        assertEquals("shop", e.db());
        assertEquals("customers", e.table());
        assertEquals(new SourcePosition(0, 2, 4711, 2, 1, 0), e.position(), "a version 1 event is of generation 0");
        assertNull(e.server());
        assertFalse(e.snapshot());
        assertEquals(List.of("id"), e.keyColumns());
        assertEquals(new BigInteger("18446744073709551615"), e.after().get("big").bigIntegerValue());
        ColumnMeta balance = e.column("BALANCE");
        assertEquals("DECIMAL(12,2)", balance.sqlType());
        assertFalse(balance.nullable());
        assertEquals(12, balance.length());
        assertEquals(2, balance.scale());
        assertTrue(e.column("id").key());
    }

    @Test
    void version2CarriesTheLineageOfItsPosition() {
        ChangeEvent e = parse(UPDATE.replace("\"v\":1", "\"v\":2")
                .replace("\"connector\":\"demo\",", "\"connector\":\"demo\",\"generation\":3,\"server\":\"mysql:5b6c\","));
        assertEquals(2, e.version());
        assertEquals(new SourcePosition(3, 2, 4711, 2, 1, 0), e.position());
        assertEquals("mysql:5b6c", e.server());
        PoisonEventException missing = assertThrows(PoisonEventException.class, () -> parse(UPDATE.replace("\"v\":1", "\"v\":2")));
        assertTrue(missing.getMessage().contains("source.generation"), missing.getMessage());
    }

    @Test
    void aSnapshotMarkerHasAPositionAndNoImages() {
        String marker = """
                {"v":2,"op":"m","marker":"snapshot_started",
                 "source":{"connector":"demo","generation":1,"server":"s","db":"shop","table":"customers","file":"binlog.000003","pos":704,
                           "event":0,"row":0,"sub":0,"ts_ms":1,"snapshot":true}}
                """;
        ChangeEvent e = parse(marker);
        assertEquals(ChangeEvent.Op.SNAPSHOT_STARTED, e.op());
        assertEquals(new SourcePosition(1, 3, 704, 0, 0, 0), e.position());
        assertNull(e.after());
        PoisonEventException unknown = assertThrows(PoisonEventException.class, () -> parse(marker.replace("snapshot_started", "snapshot_paused")));
        assertTrue(unknown.getMessage().contains("unknown marker 'snapshot_paused'"), unknown.getMessage());
        assertThrows(PoisonEventException.class, () -> parse(marker.replace("\"file\":\"binlog.000003\",", "")));
    }

    @Test
    void version2JsonValuesAreLiftedToTheirText() {
        String v2 = """
                {"v":2,"op":"c","source":{"connector":"demo","generation":0,"server":"mariadb:h:1:1","db":"shop","table":"t",
                 "file":"binlog.000001","pos":4,"event":1,"row":0,"snapshot":false},
                 "key":{"id":1},"before":null,"after":{"id":1,"doc":{"a":[1,2.50]},"s":"x","n":null},
                 "columns":[{"name":"id","type":"INT","sql_type":"INT","nullable":false,"key":true},
                            {"name":"doc","type":"JSON","sql_type":"JSON","nullable":true,"key":false},
                            {"name":"s","type":"JSON","sql_type":"JSON","nullable":true,"key":false},
                            {"name":"n","type":"JSON","sql_type":"JSON","nullable":true,"key":false}]}
                """;
        ChangeEvent e = parse(v2);
        assertEquals("{\"a\":[1,2.50]}", e.after().get("doc").asText());
        assertEquals("\"x\"", e.after().get("s").asText());
        assertTrue(e.after().get("n").isNull());
        ChangeEvent v3 = parse(v2.replace("\"v\":2", "\"v\":3").replace("\"doc\":{\"a\":[1,2.50]}", "\"doc\":\"{\\\"a\\\": [1, 2.50]}\"")
                .replace("\"n\":null", "\"n\":\"null\""));
        assertEquals("{\"a\": [1, 2.50]}", v3.after().get("doc").asText(), "version 3 carries the document's text as it is");
        assertEquals("x", v3.after().get("s").asText());
        assertEquals("null", v3.after().get("n").asText(), "a JSON null is not SQL NULL");
    }

    @Test
    void rejectsUnknownVersions() {
        PoisonEventException e = assertThrows(PoisonEventException.class, () -> parse(UPDATE.replace("\"v\":1", "\"v\":" + (dev.cdc.contract.EventFormat.VERSION + 1))));
        assertTrue(e.getMessage().contains("unsupported event format version v=" + (dev.cdc.contract.EventFormat.VERSION + 1)), e.getMessage());
        assertThrows(PoisonEventException.class, () -> parse(UPDATE.replace("\"v\":1,", "")));
        assertThrows(PoisonEventException.class, () -> parse(UPDATE.replace("\"v\":1", "\"v\":\"1\"")));
    }

    @Test
    void rejectsMalformedEvents() {
        assertThrows(PoisonEventException.class, () -> parse("not json"));
        assertThrows(PoisonEventException.class, () -> parse("[1,2]"));
        assertThrows(PoisonEventException.class, () -> parse(UPDATE.replace("\"op\":\"u\"", "\"op\":\"x\"")));
        assertThrows(PoisonEventException.class, () -> parse(UPDATE.replace("\"file\":\"binlog.000002\",", "")));
        assertThrows(PoisonEventException.class, () -> parse(UPDATE.replace("\"after\":{", "\"after\":null,\"x\":{")));
    }

    @Test
    void snapshotReadsMayCarryNoPosition() {
        ChangeEvent e = parse("""
                {"v":1,"op":"r","source":{"db":"shop","table":"t","snapshot":true},"key":{"id":1},"before":null,"after":{"id":1}}
                """);
        assertEquals(ChangeEvent.Op.READ, e.op());
        assertNull(e.position());
        assertTrue(e.snapshot());
        assertTrue(e.columns().isEmpty());
    }

    @Test
    void deletesNeedAKeyOrBefore() {
        String delete = """
                {"v":1,"op":"d","source":{"db":"shop","table":"t","file":"binlog.000001","pos":4,"event":1,"row":1},
                 "key":null,"before":null,"after":null}
                """;
        assertThrows(PoisonEventException.class, () -> parse(delete));
        assertEquals(ChangeEvent.Op.DELETE, parse(delete.replace("\"key\":null", "\"key\":{\"id\":1}")).op());
    }

    @Test
    void fractionalNumbersKeepTheirText() {
        ChangeEvent e = parse("""
                {"v":1,"op":"c","source":{"db":"d","table":"t","file":"binlog.000001","pos":4,"event":1,"row":1},
                 "after":{"id":1,"doc":{"a":2.50,"b":1e3}}}
                """);
        assertEquals("{\"a\":2.50,\"b\":1E+3}", e.after().get("doc").toString());
    }

    @Test
    void eventsOfOneTableVersionShareTheirColumnList() {
        ChangeEvent first = parse(UPDATE);
        ChangeEvent second = parse(UPDATE.replace("\"pos\":4711", "\"pos\":4800").replace("12.50", "13.00"));
        assertTrue(first.columns() == second.columns(), "the same columns bytes give the same parsed list");
        assertEquals("13.00", second.after().get("balance").asText());
        assertEquals(4800, second.position().pos());

        ChangeEvent widened = parse(UPDATE.replace("DECIMAL(12,2)", "DECIMAL(14,2)").replace("\"length\":12", "\"length\":14"));
        assertFalse(first.columns() == widened.columns(), "another table version has its own list");
        assertEquals("DECIMAL(14,2)", widened.column("balance").sqlType());
        assertEquals("DECIMAL(12,2)", parse(UPDATE).column("BALANCE").sqlType(), "names match case-insensitively too");
    }

    @Test
    void malformedColumnsArePoisonEveryTime() {
        String noName = UPDATE.replace("{\"name\":\"big\",", "{");
        for (int i = 0; i < 2; i++) {
            PoisonEventException e = assertThrows(PoisonEventException.class, () -> parse(noName), "not cached as parsed");
            assertTrue(e.getMessage().contains("a column has no name"), e.getMessage());
        }
        String notArray = UPDATE.substring(0, UPDATE.indexOf("\"columns\"")) + "\"columns\":5}";
        PoisonEventException e = assertThrows(PoisonEventException.class, () -> parse(notArray));
        assertTrue(e.getMessage().contains("columns is not an array"), e.getMessage());
        assertTrue(parse(notArray.replace("\"columns\":5", "\"columns\":null")).columns().isEmpty());
        assertThrows(PoisonEventException.class, () -> parse(UPDATE.substring(0, UPDATE.length() - 20)), "cut short");
    }
}
