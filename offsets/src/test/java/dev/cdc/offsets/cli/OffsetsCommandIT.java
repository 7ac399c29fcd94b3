package dev.cdc.offsets.cli;

import static dev.cdc.offsets.cli.CliStack.example;
import static dev.cdc.offsets.cli.CliStack.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdc.offsets.Lease;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command against a real source, store and Kafka in a known state:
 * <ul>
 *   <li>{@code demo}: led by instance-b (epoch 2, live) after a failover from instance-a (epoch 1); stored at P2; the source
 *   has moved on since; the processor group lags 2 on demo.shop.customers and 3 on demo.shop.orders (never committed).</li>
 *   <li>{@code purged}: stored in the first binlog file, which was purged.</li>
 *   <li>{@code moved}, {@code resettable}: lease expired, offsets and schema history stored: for set and reset.</li>
 *   <li>{@code fresh}: a lease but no offset and no schema history (never snapshotted).</li>
 *   <li>{@code nogtid}: an offset without a GTID set, which the MariaDB connector cannot resume from.</li>
 * </ul>
 */
class OffsetsCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;
    static CliStack s;
    static CliStack.Position purgedPos;
    static CliStack.Position p1;
    static CliStack.Position p2;
    static CliStack.Position head;

    @BeforeAll
    static void start() throws Exception {
        s = new CliStack(work);
        purgedPos = s.head();
        Lease purged = s.acquire("purged", "instance-p", Duration.ofMillis(1));
        s.commit(purged, purgedPos.offset(0, 0));
        s.schemaHistory("purged", 1, purged.epoch());

        s.source("FLUSH BINARY LOGS");
        s.stack.loadDemoSchema();
        p1 = s.head();
        s.source("INSERT INTO shop.customers (email, name, balance, created_at) VALUES ('p1@example.com', 'P One', 1.00, NOW(6))");
        p2 = s.head();
        s.source("UPDATE shop.customers SET balance = balance + 1 WHERE email = 'p1@example.com'",
                "UPDATE shop.products SET stock = stock - 1 WHERE sku = 'MS-02'");
        head = s.head();
        s.source("PURGE BINARY LOGS TO '" + p1.file() + "'");

        Lease a = s.acquire("demo", "instance-a", Duration.ofMinutes(10));
        s.commit(a, p1.offset(0, 0));
        s.commit(a, p1.offset(2, 1));
        s.schemaHistory("demo", 2, a.epoch());
        s.release(a);
        Lease b = s.acquire("demo", "instance-b", Duration.ofMinutes(10));
        s.commit(b, p2.offset(2, 1));

        Lease moved = s.acquire("moved", "instance-m", Duration.ofMillis(1));
        s.commit(moved, p2.offset(2, 1));
        s.schemaHistory("moved", 2, moved.epoch());
        Lease resettable = s.acquire("resettable", "instance-r", Duration.ofMillis(1));
        s.commit(resettable, p2.offset(2, 1));
        s.schemaHistory("resettable", 3, resettable.epoch());
        s.acquire("fresh", "instance-f", Duration.ofMillis(1));
        Lease nogtid = s.acquire("nogtid", "instance-n", Duration.ofMillis(1));
        s.commit(nogtid, "{\"file\":\"" + p2.file() + "\",\"pos\":" + p2.pos() + "}");
        s.schemaHistory("nogtid", 1, nogtid.epoch());
        Thread.sleep(50); // the 1 ms leases expire (by the store's clock)

        kafka();
    }

    /** Topics with records and the processor group's committed offsets: customers 5 records, committed 3; orders 3, none committed. */
    private static void kafka() throws Exception {
        String bootstrap = s.stack.kafka().bootstrapServers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic("demo.shop.customers", 1, (short) 1), new NewTopic("demo.shop.orders", 2, (short) 1),
                    new NewTopic("demo.dlq", 1, (short) 1), new NewTopic("other.shop.customers", 1, (short) 1))).all().get();
            Properties p = new Properties();
            p.put("bootstrap.servers", bootstrap);
            p.put("acks", "all");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 5; i++) {
                    producer.send(new ProducerRecord<>("demo.shop.customers", 0, "{\"id\":" + i + "}", "{}")).get();
                }
                producer.send(new ProducerRecord<>("demo.shop.orders", 0, "{\"id\":1}", "{}")).get();
                producer.send(new ProducerRecord<>("demo.shop.orders", 0, "{\"id\":2}", "{}")).get();
                producer.send(new ProducerRecord<>("demo.shop.orders", 1, "{\"id\":3}", "{}")).get();
                producer.send(new ProducerRecord<>("demo.dlq", 0, "x", "{}")).get();
                producer.send(new ProducerRecord<>("other.shop.customers", 0, "x", "{}")).get();
            }
            admin.alterConsumerGroupOffsets("cdc-processor", Map.of(new TopicPartition("demo.shop.customers", 0), new OffsetAndMetadata(3))).all().get();
        }
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
        assertNoSecrets(r);
    }

    private static void assertNoSecrets(CliStack.Run r) {
        for (String secret : s.secrets()) {
            assertFalse(r.out().contains(secret) || r.err().contains(secret), "a password was printed: " + r);
        }
    }

    /** Bad input, refusal or unreachable server: one line on stderr, nothing on stdout, the exit code, nothing written. */
    private static CliStack.Run assertFails(int code, String expected, Map<String, String> env, String... args) throws Exception {
        String before = s.fingerprint();
        CliStack.Run r = run(env, args);
        assertEquals(code, r.code(), r.toString());
        assertEquals("", r.out(), r.toString());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r);
        assertTrue(r.err().startsWith("offsets: ") && r.err().contains(". Fix: "), r.toString());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in " + r);
        assertNoSecrets(r);
        assertEquals(before, s.fingerprint(), "nothing written: " + r);
        return r;
    }

    private static JsonNode json(CliStack.Run r) throws Exception {
        return JSON.readTree(r.out());
    }

    @Test
    void showPrintsEveryConnectorsPositionLeaderAndLastCommit() throws Exception {
        CliStack.Run r = run(s.env(), "show");
        assertOk(r);
        example("show", r);
        String out = r.out();
        assertTrue(out.contains("connector    demo\n"), out);
        assertTrue(out.matches("(?s).*leader       instance-b \\(epoch 2, lease expires in \\d+ ms\\)\n.*"), out);
        assertTrue(out.contains("binlog file  " + p2.file() + "\n"), out);
        assertTrue(out.contains("position     " + p2.pos() + "\n"), out);
        assertTrue(out.contains("event, row   2, 1\n"), out);
        assertTrue(out.contains("gtid set     " + p2.gtid() + "\n"), out);
        assertTrue(out.contains("server id    1\n"), out);
        assertTrue(out.matches("(?s).*last commit  \\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z \\(epoch 2, .*"), out);
        assertTrue(out.matches("(?s).*connector    purged\nleader       no leader \\(last: instance-p, epoch 1, lease expired .* ago\\)\n.*"), out);
        assertTrue(out.contains("connector    fresh\n"), out);
        assertTrue(out.contains("offset       none stored: the next leader takes an initial snapshot"), out);
        example("show-demo", run(s.env(), "show", "--connector", "demo"));
        example("show-fresh", run(s.env(), "show", "--connector", "fresh"));
        example("show-purged", run(s.env(), "show", "--connector", "purged"));
    }

    @Test
    void showJsonHasTheDocumentedFields() throws Exception {
        CliStack.Run r = run(s.env(), "show", "--connector", "demo", "--json");
        assertOk(r);
        example("show-json", r);
        JsonNode root = json(r);
        assertEquals(1, root.get("connectors").size());
        JsonNode c = root.get("connectors").get(0);
        assertEquals("demo", c.get("connector").asText());
        assertEquals("instance-b", c.get("leader").asText());
        assertEquals("instance-b", c.get("lease").get("owner").asText());
        assertEquals(2, c.get("lease").get("epoch").asLong());
        assertTrue(c.get("lease").get("live").asBoolean());
        assertTrue(c.get("lease").get("expires_in_ms").asLong() > 0);
        JsonNode o = c.get("offsets").get(0);
        assertEquals("[\"demo\",{\"server\":\"demo\"}]", o.get("partition_key").asText());
        assertEquals("demo", o.get("partition").get("server").asText());
        assertEquals(p2.file(), o.get("file").asText());
        assertEquals(p2.pos(), o.get("pos").asLong());
        assertEquals(2, o.get("event").asLong());
        assertEquals(1, o.get("row").asLong());
        assertEquals(p2.gtid(), o.get("gtids").asText());
        assertEquals(1, o.get("server_id").asLong());
        assertEquals(p2.tsSec(), o.get("ts_sec").asLong());
        assertEquals(java.time.Instant.ofEpochSecond(p2.tsSec()).toString(), o.get("event_time").asText());
        assertFalse(o.get("snapshot").asBoolean());
        assertEquals(2, o.get("epoch").asLong());
        assertEquals(c.get("last_commit").asText(), o.get("committed_at").asText());
        assertEquals(p2.pos(), o.get("offset").get("pos").asLong());
        assertTrue(root.get("store_time").asText().endsWith("Z"));

        JsonNode fresh = json(run(s.env(), "show", "-c", "fresh", "--json")).get("connectors").get(0);
        assertTrue(fresh.get("leader").isNull());
        assertFalse(fresh.get("lease").get("live").asBoolean());
        assertEquals(0, fresh.get("offsets").size());
        assertTrue(fresh.get("last_commit").isNull());
    }

    @Test
    void lagMeasuresTheBinlogDistanceAndTheProcessorGroupsLagPerTopic() throws Exception {
        long bytes = head.pos() - p2.pos();
        CliStack.Run r = run(s.envWithKafka(), "lag", "--connector", "demo");
        assertOk(r);
        example("lag", r);
        assertTrue(r.out().contains("behind: 0 binlog files, " + bytes + " bytes, "), r.out());
        assertTrue(r.out().matches("(?s).*stored offset\\s+" + p2.file() + "\\s+" + p2.pos() + "\\s.*"), r.out());
        assertTrue(r.out().matches("(?s).*source head\\s+" + head.file() + "\\s+" + head.pos() + "\\s.*"), r.out());
        assertTrue(r.out().matches("(?s).*demo\\.shop\\.customers\\s+1\\s+5\\s+3\\s+2\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*demo\\.shop\\.orders\\s+2\\s+3\\s+none\\s+3\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*\ntotal\\s+5\n.*"), r.out());
        assertFalse(r.out().contains("demo.dlq") || r.out().contains("other.shop"), r.out());

        CliStack.Run j = run(s.envWithKafka(), "lag", "--connector", "demo", "--json");
        assertOk(j);
        example("lag-json", j);
        JsonNode root = json(j);
        assertEquals(p2.file(), root.get("stored").get("file").asText());
        assertEquals(p2.pos(), root.get("stored").get("pos").asLong());
        assertEquals(head.file(), root.get("source_head").get("file").asText());
        assertEquals(head.pos(), root.get("source_head").get("pos").asLong());
        assertEquals(head.gtid(), root.get("source_head").get("gtids").asText());
        assertEquals(bytes, root.get("behind").get("bytes").asLong());
        assertEquals(0, root.get("behind").get("files").asLong());
        assertTrue(root.get("behind").get("seconds").asLong() >= 0);
        assertTrue(root.get("behind").get("stored_file_on_source").asBoolean());
        JsonNode k = root.get("kafka");
        assertTrue(k.get("asked").asBoolean());
        assertEquals("cdc-processor", k.get("group").asText());
        assertEquals("demo", k.get("topic_prefix").asText());
        assertEquals(2, k.get("topics").size());
        JsonNode customers = k.get("topics").get(0);
        assertEquals("demo.shop.customers", customers.get("topic").asText());
        assertEquals(5, customers.get("end_offset").asLong());
        assertEquals(3, customers.get("committed_offset").asLong());
        assertEquals(2, customers.get("lag").asLong());
        JsonNode orders = k.get("topics").get(1);
        assertTrue(orders.get("committed_offset").isNull());
        assertEquals(2, orders.get("uncommitted_partitions").asInt());
        assertEquals(3, orders.get("lag").asLong());
        assertEquals(5, k.get("total_lag").asLong());
    }

    @Test
    void lagWithoutKafkaSaysKafkaWasNotAsked() throws Exception {
        CliStack.Run r = run(s.env(), "lag", "-c", "demo");
        assertOk(r);
        example("lag-no-kafka", r);
        assertTrue(r.out().contains("Kafka: not asked"), r.out());
        JsonNode k = json(run(s.env(), "lag", "-c", "demo", "--json")).get("kafka");
        assertFalse(k.get("asked").asBoolean());
        assertTrue(k.get("total_lag").isNull());

        CliStack.Run purged = run(s.env(), "lag", "-c", "purged");
        assertOk(purged);
        assertTrue(purged.out().contains("is not on the source any more"), purged.out());
    }

    @Test
    void historyShowsCommitsNewestFirstWithTheFailover() throws Exception {
        CliStack.Run r = run(s.env(), "history", "--connector", "demo");
        assertOk(r);
        example("history", r);
        List<String> lines = r.out().lines().toList();
        assertEquals(4, lines.size(), r.out());
        assertTrue(lines.get(0).matches("\\s*ID\\s+COMMITTED AT\\s+KIND\\s+EPOCH\\s+OWNER\\s+FILE\\s+POS\\s+EVENT\\s+ROW\\s+GTIDS\\s+NOTE"), lines.get(0));
        assertTrue(lines.get(1).contains("commit") && lines.get(1).contains("instance-b") && lines.get(1).endsWith("failover: epoch 1 -> 2, instance-a -> instance-b"),
                lines.get(1));
        assertTrue(lines.get(2).contains("instance-a") && lines.get(2).contains(" " + p1.pos() + " ") && !lines.get(2).contains("failover"), lines.get(2));

        JsonNode root = json(run(s.env(), "history", "-c", "demo", "--limit", "2", "--json"));
        assertEquals(2, root.get("limit").asInt());
        JsonNode entries = root.get("entries");
        assertEquals(2, entries.size());
        JsonNode newest = entries.get(0);
        assertEquals("commit", newest.get("kind").asText());
        assertEquals(2, newest.get("epoch").asLong());
        assertEquals("instance-b", newest.get("owner").asText());
        assertEquals(p2.file(), newest.get("file").asText());
        assertEquals(p2.pos(), newest.get("pos").asLong());
        assertTrue(newest.get("failover").asBoolean());
        assertEquals("failover: epoch 1 -> 2, instance-a -> instance-b", newest.get("note").asText());
        assertTrue(entries.get(1).get("id").asLong() < newest.get("id").asLong());
        assertFalse(entries.get(1).get("failover").asBoolean());
    }

    @Test
    void validatePassesWhenThePositionIsOnTheSource() throws Exception {
        CliStack.Run r = run(s.env(), "validate", "--connector", "demo");
        assertOk(r);
        example("validate", r);
        assertTrue(r.out().contains("Connector demo can resume from " + p2.file() + ":" + p2.pos() + "."), r.out());
        assertTrue(r.out().matches("(?s).*log_bin\\s+ok\\s+ON\n.*binlog_format\\s+ok\\s+ROW\n.*binlog_row_image\\s+ok\\s+FULL\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*binlog file\\s+ok\\s+" + p2.file() + " is on the source.*"), r.out());
        JsonNode root = json(run(s.env(), "validate", "-c", "demo", "--json"));
        assertTrue(root.get("resumable").asBoolean());
        assertEquals(p2.file() + ":" + p2.pos(), root.get("position").asText());
        assertTrue(root.get("remedy").isNull());
        assertTrue(root.get("checks").size() >= 8);
        assertEquals("log_bin", root.get("checks").get(1).get("check").asText());
        assertEquals("ok", root.get("checks").get(1).get("result").asText());

        CliStack.Run fresh = run(s.env(), "validate", "-c", "fresh");
        assertOk(fresh);
        assertTrue(fresh.out().contains("Connector fresh can start: the next leader takes an initial snapshot."), fresh.out());
    }

    @Test
    void validateFailsWithTheRemedyWhenTheBinlogWasPurged() throws Exception {
        CliStack.Run r = run(s.env(), "validate", "--connector", "purged");
        example("validate-purged", r);
        assertEquals(ExitCode.CANNOT_RESUME, r.code(), r.toString());
        assertTrue(r.out().matches("(?s).*\nbinlog file\\s+fail\\s+" + purgedPos.file() + " was purged from the source .*"), r.out());
        assertTrue(r.out().contains("Remedy: run 'offsets reset --connector purged' (the next leader takes a new snapshot), or 'offsets set --connector purged --file "
                + p1.file() + " --pos 4' accepting that the changes in between are lost"), r.out());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("offsets: Connector purged cannot resume: " + purgedPos.file() + " was purged"), r.err());
        assertTrue(r.err().contains(". Fix: run 'offsets reset --connector purged'"), r.err());

        CliStack.Run j = run(s.env(), "validate", "-c", "purged", "--json");
        assertEquals(ExitCode.CANNOT_RESUME, j.code());
        JsonNode root = json(j);
        assertFalse(root.get("resumable").asBoolean());
        assertTrue(root.get("remedy").asText().startsWith("run 'offsets reset --connector purged'"));
        example("validate-purged-json", j);
    }

    @Test
    void validateFailsForAMariaDbOffsetWithoutGtids() throws Exception {
        CliStack.Run r = run(s.env(), "validate", "-c", "nogtid");
        assertEquals(ExitCode.CANNOT_RESUME, r.code(), r.toString());
        assertTrue(r.err().startsWith("offsets: Connector nogtid cannot resume: the stored offset has no GTID set, but the MariaDB connector resumes by GTID"
                + ". Fix: 'offsets set --connector nogtid --file " + p2.file() + " --pos " + p2.pos() + "'"), r.toString());
    }

    @Test
    void setAndResetAreRefusedWhileALiveLeaseExists() throws Exception {
        CliStack.Run r = assertFails(ExitCode.REFUSED, "Refused: connector demo is led by instance-b (epoch 2, lease expires in ", s.env(),
                "set", "--connector", "demo", "--file", p1.file(), "--pos", Long.toString(p1.pos()));
        assertTrue(r.err().matches("offsets: Refused: connector demo is led by instance-b \\(epoch 2, lease expires in \\d+ ms\\)\\. Fix: stop its instances first\\.\n"),
                r.err());
        example("set-refused", r);
        assertFails(ExitCode.REFUSED, "Refused: connector demo is led by instance-b", s.env(), "set", "-c", "demo", "--file", p1.file(), "--pos",
                Long.toString(p1.pos()), "--dry-run");
        example("reset-refused", assertFails(ExitCode.REFUSED, "Refused: connector demo is led by instance-b", s.env(), "reset", "--connector", "demo"));
    }

    @Test
    void setMovesTheOffsetInOneTransactionWithItsLogRowAndFencesTheOldEpoch() throws Exception {
        String before = s.fingerprint();
        CliStack.Run dry = run(s.env(), "set", "--connector", "moved", "--file", p1.file(), "--pos", Long.toString(p1.pos()), "--dry-run");
        assertOk(dry);
        example("set-dry-run", dry);
        assertTrue(dry.out().startsWith("Connector moved: dry run, nothing written\n"), dry.out());
        assertTrue(dry.out().contains("Lease epoch 1 of instance-m would be fenced: new epoch 2"), dry.out());
        assertTrue(dry.out().contains("Lineage generation 1 would start"), dry.out());
        assertEquals(before, s.fingerprint(), "a dry run writes nothing");

        CliStack.Run r = run(s.env(), "set", "--connector", "moved", "--file", p1.file(), "--pos", Long.toString(p1.pos()));
        assertOk(r);
        example("set", r);
        assertTrue(r.out().contains("The next leader resumes from " + p1.file() + ":" + p1.pos() + " (after GTIDs " + p1.gtid() + ")."), r.out());
        String stored = s.storeString("SELECT offset_value FROM cdc_offset WHERE connector_name = 'moved'");
        JsonNode offset = JSON.readTree(stored);
        assertEquals(List.of("file", "pos", "gtids", "ts_sec"), fieldNames(offset));
        assertEquals(p1.file(), offset.get("file").asText());
        assertEquals(p1.pos(), offset.get("pos").asLong());
        assertEquals(p1.gtid(), offset.get("gtids").asText(), "MariaDB: the GTID position at the file and position");
        assertEquals("2", s.storeString("SELECT epoch FROM cdc_offset WHERE connector_name = 'moved'"));
        assertEquals("set|2|" + stored, s.storeString("SELECT CONCAT(kind, '|', epoch, '|', offset_value) FROM cdc_offset_log"
                + " WHERE connector_name = 'moved' ORDER BY id DESC LIMIT 1"));
        assertTrue(s.storeString("SELECT owner_id FROM cdc_offset_log WHERE connector_name = 'moved' ORDER BY id DESC LIMIT 1").startsWith("offsets-cli@"));
        assertEquals("2", s.storeString("SELECT epoch FROM cdc_lease WHERE connector_name = 'moved'"), "the old epoch is fenced");
        assertEquals("0", s.storeString("SELECT expires_at > NOW(3) FROM cdc_lease WHERE connector_name = 'moved'"), "and the lease is free");
        assertEquals("1|mariadb:", s.storeString("SELECT CONCAT(generation, '|', LEFT(source_server, 8)) FROM cdc_lineage WHERE connector_name = 'moved'"),
                "a new lineage generation, with the server the offset belongs to");

        CliStack.Run history = run(s.env(), "history", "-c", "moved");
        example("history-after-set", history);
        assertTrue(history.out().lines().skip(1).findFirst().orElseThrow().matches(".*\\sset\\s+2\\s+offsets-cli@\\S+\\s+" + p1.file() + "\\s+" + p1.pos()
                + "\\s+-\\s+-\\s+" + p1.gtid() + "\\s+manual set by offsets-cli@\\S+"), history.out());

        CliStack.Run gtid = run(s.env(), "set", "-c", "moved", "--file", p2.file(), "--pos", Long.toString(p2.pos()), "--gtid", p2.gtid(), "--json");
        assertOk(gtid);
        example("set-json", gtid);
        JsonNode root = json(gtid);
        assertEquals("set", root.get("action").asText());
        assertFalse(root.get("dry_run").asBoolean());
        assertEquals("[\"moved\",{\"server\":\"moved\"}]", root.get("partition_key").asText());
        assertEquals(p1.pos(), root.get("before").get("pos").asLong());
        assertEquals(p2.gtid(), root.get("after").get("gtids").asText());
        assertEquals(3, root.get("epoch").asLong());
        assertEquals(2, root.get("generation").asLong());
        assertEquals(2, root.get("fenced").get("epoch").asLong());
        assertTrue(root.get("fenced").get("owner").asText().startsWith("offsets-cli@"));
        assertEquals(p2.gtid(), JSON.readTree(s.storeString("SELECT offset_value FROM cdc_offset WHERE connector_name = 'moved'")).get("gtids").asText());

        // The new offset validates.
        assertOk(run(s.env(), "validate", "-c", "moved"));
    }

    @Test
    void resetDeletesOffsetsAndSchemaHistoryAndLogsIt() throws Exception {
        CliStack.Run dry = run(s.env(), "reset", "-c", "resettable", "--dry-run", "--json");
        assertOk(dry);
        JsonNode d = json(dry);
        assertTrue(d.get("dry_run").asBoolean());
        assertEquals(3, d.get("schema_history_deleted").asInt());
        assertEquals(1, d.get("generation").asLong());
        assertEquals("3", s.storeString("SELECT COUNT(*) FROM cdc_schema_history WHERE connector_name = 'resettable'"));

        CliStack.Run r = run(s.env(), "reset", "--connector", "resettable");
        assertOk(r);
        example("reset", r);
        assertTrue(r.out().contains("schema history deleted  3 records"), r.out());
        assertTrue(r.out().contains("The next leader takes a new initial snapshot."), r.out());
        assertTrue(r.out().contains("Lineage generation 1 starts"), r.out());
        assertEquals("1", s.storeString("SELECT generation FROM cdc_lineage WHERE connector_name = 'resettable'"));
        assertEquals("0", s.storeString("SELECT COUNT(*) FROM cdc_offset WHERE connector_name = 'resettable'"));
        assertEquals("0", s.storeString("SELECT COUNT(*) FROM cdc_schema_history WHERE connector_name = 'resettable'"));
        assertEquals("reset|2|null", s.storeString("SELECT CONCAT_WS('|', kind, epoch, COALESCE(offset_value, 'null')) FROM cdc_offset_log"
                + " WHERE connector_name = 'resettable' ORDER BY id DESC LIMIT 1"));
        CliStack.Run show = run(s.env(), "show", "-c", "resettable");
        assertTrue(show.out().contains("none stored: the next leader takes an initial snapshot"), show.out());
        CliStack.Run history = run(s.env(), "history", "-c", "resettable");
        assertTrue(history.out().contains("manual reset by offsets-cli@"), history.out());

        // Without schema history there is nothing to decode events with: set is refused until the connector has snapshotted.
        assertFails(ExitCode.USAGE, "has no schema history", s.env(), "set", "-c", "resettable", "--file", p2.file(), "--pos", Long.toString(p2.pos()));
    }

    @Test
    void badInputIsOneLineANonZeroExitAndNothingWritten() throws Exception {
        Map<String, String> env = s.env();
        String file = p2.file();
        String pos = Long.toString(p2.pos());
        example("error-unknown-connector", assertFails(ExitCode.USAGE, "Unknown connector 'nope' in the store. Fix: known connectors: demo, fresh, moved, nogtid, purged, resettable",
                env, "show", "--connector", "nope"));
        assertFails(ExitCode.USAGE, "Unknown connector 'nope'", env, "reset", "-c", "nope");
        assertFails(ExitCode.USAGE, "Unknown connector 'nope'", env, "set", "-c", "nope", "--file", file, "--pos", pos);
        example("error-malformed-position", assertFails(ExitCode.USAGE, "Invalid value for option '--pos': 'abc' is not a long", env,
                "set", "-c", "moved", "--file", file, "--pos", "abc"));
        assertFails(ExitCode.USAGE, "--pos 2 is not a binlog position", env, "set", "-c", "moved", "--file", file, "--pos", "2");
        assertFails(ExitCode.USAGE, "--file 'binlog' is not a binlog file name", env, "set", "-c", "moved", "--file", "binlog", "--pos", pos);
        assertFails(ExitCode.USAGE, "Missing required option: '--pos=POSITION'", env, "set", "-c", "moved", "--file", file);
        example("error-file-not-on-source", assertFails(ExitCode.USAGE, "Binlog file binlog.999999 is not on source", env,
                "set", "-c", "moved", "--file", "binlog.999999", "--pos", "4"));
        assertFails(ExitCode.USAGE, "Binlog file " + purgedPos.file() + " is not on source", env, "set", "-c", "moved", "--file", purgedPos.file(),
                "--pos", "4");
        assertFails(ExitCode.USAGE, "is beyond the end of " + file, env, "set", "-c", "moved", "--file", file, "--pos", "999999999");
        example("error-not-an-event", assertFails(ExitCode.USAGE, "No event starts at " + file + ":" + (p2.pos() + 1), env,
                "set", "-c", "moved", "--file", file, "--pos", Long.toString(p2.pos() + 1)));
        assertFails(ExitCode.USAGE, "--gtid 'latest' is not a GTID set", env, "set", "-c", "moved", "--file", file, "--pos", pos, "--gtid", "latest");
        assertFails(ExitCode.USAGE, "is a MySQL GTID set but the source is MariaDB", env, "set", "-c", "moved", "--file", file, "--pos", pos,
                "--gtid", "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-57");
        assertFails(ExitCode.USAGE, "--gtid '" + p2.gtid() + "' is not the GTID position at " + p1.file() + ":" + p1.pos() + " ('" + p1.gtid() + "')", env,
                "set", "-c", "moved", "--file", p1.file(), "--pos", Long.toString(p1.pos()), "--gtid", p2.gtid());
        assertFails(ExitCode.USAGE, "Connector fresh has no schema history", env, "set", "-c", "fresh", "--file", file, "--pos", pos);
        assertFails(ExitCode.USAGE, "--limit 0 is out of range", env, "history", "-c", "demo", "--limit", "0");
        assertFails(ExitCode.USAGE, "Unknown option: '--bogus'", env, "show", "--bogus");
        assertFails(ExitCode.USAGE, "Missing command", env);
        assertFails(ExitCode.USAGE, "No connector named; the store has demo, fresh, moved, nogtid, purged, resettable", env, "history");
        example("error-no-store", assertFails(ExitCode.USAGE, "No shared store given. Fix: pass --store-url", Map.of(), "show"));
        Map<String, String> noSource = new HashMap<>(env);
        noSource.remove("CDC_SOURCE_URL");
        assertFails(ExitCode.USAGE, "No source server given", noSource, "validate", "-c", "demo");
        assertFails(ExitCode.USAGE, "does not exist", env, "show", "--config", work.resolve("missing.yml").toString());
    }

    @Test
    void unreachableStoreSourceOrKafkaIsExitCode3AndNothingWritten() throws Exception {
        Map<String, String> env = s.env();
        int closed = CliStack.closedPort();
        example("error-store-unreachable", assertFails(ExitCode.UNREACHABLE, "Shared store jdbc:mysql://127.0.0.1:" + closed + "/cdc_store unreachable", env,
                "show", "--store-url", "jdbc:mysql://127.0.0.1:" + closed + "/cdc_store"));
        assertFails(ExitCode.UNREACHABLE, "refused user cdc_store", env, "show", "--store-password", "wrong-password");
        // A database without the store's tables is not migrated by the CLI: it says so and leaves it alone.
        assertFails(ExitCode.UNREACHABLE, "has no CDC tables", env, "show", "--store-url", s.stack.source().jdbcUrl("mysql"), "--store-user", "root",
                "--store-password", "");
        try (var c = s.stack.source().rootConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT COUNT(*) FROM information_schema.tables WHERE table_name LIKE 'cdc\\_%'")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "the CLI created no tables");
        }
        example("error-source-unreachable", assertFails(ExitCode.UNREACHABLE, "Source 127.0.0.1:" + closed + " unreachable", env,
                "validate", "-c", "demo", "--source-url", "jdbc:mysql://127.0.0.1:" + closed));
        assertFails(ExitCode.UNREACHABLE, "Source 127.0.0.1:" + closed + " unreachable", env, "set", "-c", "moved", "--file", p2.file(), "--pos",
                Long.toString(p2.pos()), "--source-url", "jdbc:mysql://127.0.0.1:" + closed);
        assertFails(ExitCode.UNREACHABLE, "refused user 'cdc'", env, "lag", "-c", "demo", "--source-password", "wrong-password");
        assertFails(ExitCode.UNREACHABLE, "Kafka 127.0.0.1:" + closed + " did not answer", env, "lag", "-c", "demo", "--kafka-bootstrap",
                "127.0.0.1:" + closed);
    }

    @Test
    void theConnectorsConfigFileIsReadWithPlaceholdersAndFlagsWin() throws Exception {
        Path config = work.resolve("application.yml");
        Files.writeString(config, """
                cdc:
                  name: demo
                  source:
                    url: %s
                    user: cdc
                    password: ${CDC_SOURCE_PASSWORD}
                  store:
                    url: %s
                    user: cdc_store
                    password: ${CDC_STORE_PASSWORD}
                kafka:
                  bootstrap:
                    servers: %s
                """.formatted(s.stack.cdc().url(), s.stack.store().url(), s.stack.kafka().bootstrapServers()));
        Map<String, String> secretsOnly = Map.of("CDC_STORE_PASSWORD", s.stack.store().password(), "CDC_SOURCE_PASSWORD", s.stack.cdc().password());
        CliStack.Run show = run(secretsOnly, "show", "--config", config.toString(), "--json");
        assertOk(show);
        assertEquals(1, json(show).get("connectors").size(), "cdc.name picks the connector");
        CliStack.Run lag = run(secretsOnly, "lag", "--config", config.toString(), "--json");
        assertOk(lag);
        assertTrue(json(lag).get("kafka").get("asked").asBoolean(), "kafka.bootstrap.servers from the file");
        CliStack.Run flag = run(secretsOnly, "show", "--config", config.toString(), "--connector", "moved", "--json");
        assertEquals("moved", json(flag).get("connectors").get(0).get("connector").asText());
        assertOk(run(secretsOnly, "validate", "--config", config.toString()));
    }

    @Test
    void theRunnableJarAndTheWrapperScriptWork() throws Exception {
        Path jar = Path.of(System.getProperty("offsets.cli.jar", "target/offsets-cli.jar"));
        assertTrue(Files.exists(jar), "built by the package phase: " + jar);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessResult show = exec(List.of(java, "-jar", jar.toString(), "show", "--connector", "demo", "--json"), s.env());
        assertEquals(0, show.code(), show.toString());
        assertEquals("", show.err(), "no log noise on stderr: " + show);
        assertEquals("demo", JSON.readTree(show.out()).get("connectors").get(0).get("connector").asText());

        ProcessResult refused = exec(List.of(java, "-jar", jar.toString(), "reset", "--connector", "demo"), s.env());
        assertEquals(ExitCode.REFUSED, refused.code(), refused.toString());
        assertTrue(refused.err().startsWith("offsets: Refused: connector demo is led by instance-b"), refused.toString());

        Path script = Path.of("").toAbsolutePath().getParent().resolve("bin").resolve("offsets");
        ProcessResult help = exec(List.of(script.toString(), "--help"), Map.of());
        assertEquals(0, help.code(), help.toString());
        assertTrue(help.out().contains("Exit codes:"), help.out());
        ProcessResult bad = exec(List.of(script.toString(), "show", "--connector", "nope"), s.env());
        assertEquals(ExitCode.USAGE, bad.code(), bad.toString());
        assertEquals("offsets: Unknown connector 'nope' in the store. Fix: known connectors: demo, fresh, moved, nogtid, purged, resettable.", bad.err().strip());
    }

    record ProcessResult(int code, String out, String err) {
    }

    private static ProcessResult exec(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command));
        pb.environment().keySet().removeIf(k -> k.startsWith("CDC_") || k.startsWith("KAFKA_"));
        pb.environment().putAll(env);
        pb.directory(Files.createTempDirectory(work, "cwd").toFile());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        p.waitFor();
        return new ProcessResult(p.exitValue(), new String(out), new String(err));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
