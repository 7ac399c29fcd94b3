package dev.cdc.offsets.cli;

import static dev.cdc.offsets.cli.CliStack.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdc.localstack.DatabaseKind;
import dev.cdc.localstack.MySqlBinaries;
import dev.cdc.offsets.Lease;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command's MySQL-only paths against a real MySQL source with GTIDs on, the store also on MySQL:
 * {@code SHOW BINARY LOG STATUS} for the head, {@code @@gtid_executed} / {@code @@gtid_purged} in show, lag and
 * validate, and {@code set} by file and position with a MySQL GTID set ({@code uuid:1-n}).
 * <ul>
 *   <li>{@code demo}: live lease, stored at P2 with the GTID set executed at P2.</li>
 *   <li>{@code gap}: stored at P1 (its binlog file is still there) but with a GTID set older than @@gtid_purged.</li>
 *   <li>{@code moved}: lease expired, offset and schema history stored: for set.</li>
 * </ul>
 */
class MySqlOffsetsCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;
    static CliStack s;
    static CliStack.Position early;
    static CliStack.Position p1;
    static CliStack.Position p2;
    static CliStack.Position head;

    @BeforeAll
    static void start() throws Exception {
        Optional<String> unsupported = MySqlBinaries.whyUnsupported();
        unsupported.ifPresent(System.out::println);
        Assumptions.assumeTrue(unsupported.isEmpty(), unsupported.orElse(""));
        s = new CliStack(work, DatabaseKind.MYSQL, DatabaseKind.MYSQL);
        s.stack.loadDemoSchema();
        early = s.head();
        s.source("INSERT INTO shop.customers (email, name, balance, created_at) VALUES ('purged@example.com', 'Purged', 1.00, NOW(6))",
                "FLUSH BINARY LOGS");
        p1 = s.head();
        s.source("INSERT INTO shop.customers (email, name, balance, created_at) VALUES ('p1@example.com', 'P One', 1.00, NOW(6))");
        p2 = s.head();
        s.source("UPDATE shop.customers SET balance = balance + 1 WHERE email = 'p1@example.com'");
        head = s.head();
        s.source("PURGE BINARY LOGS TO '" + p1.file() + "'");

        Lease demo = s.acquire("demo", "instance-a", Duration.ofMinutes(10));
        s.commit(demo, p2.offset(0, 0));
        Lease gap = s.acquire("gap", "instance-g", Duration.ofMillis(1));
        s.commit(gap, new CliStack.Position(p1.file(), p1.pos(), early.gtid(), early.tsSec()).offset(0, 0));
        Lease moved = s.acquire("moved", "instance-m", Duration.ofMillis(1));
        s.commit(moved, p1.offset(0, 0));
        s.schemaHistory("moved", 1, moved.epoch());
        Thread.sleep(50); // the 1 ms leases expire (by the store's clock)
    }

    @AfterAll
    static void stop() {
        if (s != null) {
            s.close();
        }
    }

    private static void assertOk(CliStack.Run r) {
        assertEquals(0, r.code(), r.toString());
        assertEquals("", r.err(), r.toString());
    }

    @Test
    void theSourceHasMySqlGtidSets() {
        for (CliStack.Position p : new CliStack.Position[] {early, p1, p2, head}) {
            assertTrue(p.gtid().matches("[0-9a-f-]{36}:1-\\d+"), "a MySQL GTID set: " + p);
        }
    }

    @Test
    void showAndLagReadTheHeadWithShowBinaryLogStatusAndGtidExecuted() throws Exception {
        CliStack.Run show = run(s.env(), "show", "--connector", "demo");
        assertOk(show);
        assertTrue(show.out().contains("gtid set     " + p2.gtid() + "\n"), show.out());
        assertTrue(show.out().contains("binlog file  " + p2.file() + "\n"), show.out());

        CliStack.Run lag = run(s.env(), "lag", "--connector", "demo", "--json");
        assertOk(lag);
        JsonNode root = JSON.readTree(lag.out());
        assertEquals(head.file(), root.get("source_head").get("file").asText());
        assertEquals(head.pos(), root.get("source_head").get("pos").asLong());
        assertEquals(head.gtid(), root.get("source_head").get("gtids").asText());
        assertEquals(head.pos() - p2.pos(), root.get("behind").get("bytes").asLong());
    }

    @Test
    void validateComparesTheStoredGtidsWithGtidPurged() throws Exception {
        CliStack.Run ok = run(s.env(), "validate", "--connector", "demo");
        assertOk(ok);
        assertTrue(ok.out().matches("(?s).*\ngtids\\s+ok\\s+@@gtid_purged \\S+:1-\\d+ is within the stored set\n.*"), ok.out());
        assertTrue(ok.out().contains("Connector demo can resume from " + p2.file() + ":" + p2.pos() + "."), ok.out());

        CliStack.Run gap = run(s.env(), "validate", "--connector", "gap");
        assertEquals(ExitCode.CANNOT_RESUME, gap.code(), gap.toString());
        assertTrue(gap.out().matches("(?s).*\nbinlog file\\s+ok\\s+" + p1.file() + " is on the source.*"), gap.out());
        assertTrue(gap.out().contains("the source purged GTIDs the connector has not read (@@gtid_purged "), gap.out());
        assertTrue(gap.out().contains(" is not within the stored " + early.gtid() + ")"), gap.out());
        assertEquals(1, gap.err().strip().lines().count(), gap.err());
    }

    @Test
    void setByFileAndPositionStoresTheMySqlGtidSetGivenOrNone() throws Exception {
        CliStack.Run withGtid = run(s.env(), "set", "-c", "moved", "--file", p2.file(), "--pos", Long.toString(p2.pos()), "--gtid", p2.gtid());
        assertOk(withGtid);
        JsonNode offset = JSON.readTree(s.storeString("SELECT offset_value FROM cdc_offset WHERE connector_name = 'moved'"));
        assertEquals(p2.file(), offset.get("file").asText());
        assertEquals(p2.pos(), offset.get("pos").asLong());
        assertEquals(p2.gtid(), offset.get("gtids").asText());
        assertOk(run(s.env(), "validate", "-c", "moved"));

        CliStack.Run byPosition = run(s.env(), "set", "-c", "moved", "--file", p1.file(), "--pos", Long.toString(p1.pos()));
        assertOk(byPosition);
        offset = JSON.readTree(s.storeString("SELECT offset_value FROM cdc_offset WHERE connector_name = 'moved'"));
        assertEquals(p1.pos(), offset.get("pos").asLong());
        assertFalse(offset.has("gtids"), "MySQL: no GTID set unless given (the connector resumes by file and position): " + offset);
        CliStack.Run validate = run(s.env(), "validate", "-c", "moved");
        assertOk(validate);
        assertTrue(validate.out().matches("(?s).*\ngtids\\s+info\\s+none stored: the connector resumes by file and position\n.*"), validate.out());

        String before = s.fingerprint();
        CliStack.Run maria = run(s.env(), "set", "-c", "moved", "--file", p2.file(), "--pos", Long.toString(p2.pos()), "--gtid", "0-1-5");
        assertEquals(ExitCode.USAGE, maria.code(), maria.toString());
        assertTrue(maria.err().startsWith("offsets: --gtid '0-1-5' is a MariaDB GTID set but the source is MySQL. Fix: use uuid:interval, e.g. "), maria.err());
        assertEquals(before, s.fingerprint(), "nothing written");
    }
}
