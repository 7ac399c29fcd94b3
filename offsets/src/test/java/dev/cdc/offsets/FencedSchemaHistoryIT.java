package dev.cdc.offsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.debezium.config.Configuration;
import io.debezium.relational.history.HistoryRecord;
import io.debezium.relational.history.HistoryRecordComparator;
import io.debezium.relational.history.SchemaHistoryException;
import io.debezium.relational.history.SchemaHistoryListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FencedSchemaHistoryIT {

    static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    static Path work;
    static TestStore t;

    @BeforeAll
    static void start() throws Exception {
        t = TestStore.start(work);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    FencedSchemaHistory history(String connector, String owner, long epoch) {
        Configuration config = Configuration.create()
                .with("schema.history.internal.cdc.store.url", t.config.url())
                .with("schema.history.internal.cdc.store.user", t.config.user())
                .with("schema.history.internal.cdc.store.password", t.config.password())
                .with("schema.history.internal.cdc.connector.name", connector)
                .with("schema.history.internal.cdc.owner.id", owner)
                .with("schema.history.internal.cdc.lease.epoch", epoch)
                .build();
        FencedSchemaHistory history = new FencedSchemaHistory();
        history.configure(config, HistoryRecordComparator.INSTANCE, SchemaHistoryListener.NOOP, true);
        history.start();
        return history;
    }

    static Map<String, Object> source(String connector) {
        return Map.of("server", connector);
    }

    static Map<String, Object> position(long pos) {
        return Map.of("file", "binlog.000001", "pos", pos, "gtids", "0-1-" + pos);
    }

    static List<String> ddls(FencedSchemaHistory history) throws InterruptedException {
        List<String> ddls = new ArrayList<>();
        history.recoverRecords(r -> ddls.add(r.document().getString("ddl")));
        return ddls;
    }

    @Test
    void recordsStoredByOneInstanceAreRecoveredInOrderByANewOne() throws Exception {
        Lease lease = new LeaseManager(t.store.dataSource(), "history", "a", LONG).tryAcquire().orElseThrow();
        FencedSchemaHistory first = history("history", "a", lease.epoch());
        assertFalse(first.exists());
        assertTrue(first.storageExists());
        List<String> written = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            String ddl = "CREATE TABLE t" + i + " (id INT PRIMARY KEY, note VARCHAR(20) DEFAULT 'é\"x')";
            first.record(source("history"), position(1000 + i), "shop", ddl);
            written.add(ddl);
        }
        assertTrue(first.exists());
        first.stop();

        FencedSchemaHistory second = history("history", "a", lease.epoch());
        try {
            assertTrue(second.exists());
            assertEquals(written, ddls(second));
            List<HistoryRecord> records = new ArrayList<>();
            second.recoverRecords(records::add);
            assertEquals("shop", records.get(0).document().getString("databaseName"));
            assertEquals(1001L, records.get(0).document().getDocument("position").getLong("pos"));
            assertEquals(12, t.count("SELECT MAX(seq) FROM cdc_schema_history WHERE connector_name = 'history'"));
            assertEquals(0, t.count("SELECT COUNT(*) FROM cdc_schema_history WHERE connector_name = 'history' AND epoch <> " + lease.epoch()));
        } finally {
            second.stop();
        }
        assertFalse(history("history-other", "a", 1).exists(), "history is per connector");
    }

    @Test
    void aFencedWriteIsRejectedAndNotStored() throws Exception {
        LeaseManager a = new LeaseManager(t.store.dataSource(), "history-fence", "a", LONG);
        Lease leaseA = a.tryAcquire().orElseThrow();
        FencedSchemaHistory zombie = history("history-fence", "a", leaseA.epoch());
        try {
            zombie.record(source("history-fence"), position(1), "shop", "CREATE TABLE kept (id INT)");
            a.release(leaseA);
            Lease leaseB = new LeaseManager(t.store.dataSource(), "history-fence", "b", LONG).tryAcquire().orElseThrow();

            SchemaHistoryException e = assertThrows(SchemaHistoryException.class,
                    () -> zombie.record(source("history-fence"), position(2), "shop", "CREATE TABLE lost (id INT)"));
            FencingException fenced = assertInstanceOf(FencingException.class, e.getCause());
            assertEquals("Fenced: connector history-fence is now at lease epoch 2 held by b; this writer has epoch 1 and must stop",
                    fenced.getMessage());
            assertEquals(1, t.count("SELECT COUNT(*) FROM cdc_schema_history WHERE connector_name = 'history-fence'"));

            FencedSchemaHistory leader = history("history-fence", "b", leaseB.epoch());
            try {
                leader.record(source("history-fence"), position(3), "shop", "CREATE TABLE next (id INT)");
                assertEquals(List.of("CREATE TABLE kept (id INT)", "CREATE TABLE next (id INT)"), ddls(leader));
            } finally {
                leader.stop();
            }
        } finally {
            zombie.stop();
        }
    }

    /** A lease row restored from a backup hands the writer's epoch to another owner: the epoch alone must not pass. */
    @Test
    void aWriterWithTheCurrentEpochButAnotherOwnerIsRejected() throws Exception {
        Lease leaseA = new LeaseManager(t.store.dataSource(), "history-reuse", "a", LONG).tryAcquire().orElseThrow();
        FencedSchemaHistory zombie = history("history-reuse", "a", leaseA.epoch());
        try {
            zombie.record(source("history-reuse"), position(1), "shop", "CREATE TABLE kept (id INT)");
            t.execute("UPDATE cdc_lease SET owner_id = 'b' WHERE connector_name = 'history-reuse'");

            SchemaHistoryException e = assertThrows(SchemaHistoryException.class,
                    () -> zombie.record(source("history-reuse"), position(2), "shop", "CREATE TABLE lost (id INT)"));
            FencingException fenced = assertInstanceOf(FencingException.class, e.getCause());
            assertEquals(leaseA.epoch(), fenced.currentEpoch());
            assertEquals("b", fenced.currentOwner());
            assertEquals(1, t.count("SELECT COUNT(*) FROM cdc_schema_history WHERE connector_name = 'history-reuse'"));
        } finally {
            zombie.stop();
        }
    }

    @Test
    void missingSettingNamesTheKey() {
        Configuration config = Configuration.create()
                .with("schema.history.internal.cdc.store.url", t.config.url())
                .with("schema.history.internal.cdc.store.user", t.config.user())
                .with("schema.history.internal.cdc.connector.name", "x")
                .with("schema.history.internal.cdc.owner.id", "a")
                .build();
        SchemaHistoryException e = assertThrows(SchemaHistoryException.class,
                () -> new FencedSchemaHistory().configure(config, HistoryRecordComparator.INSTANCE, SchemaHistoryListener.NOOP, true));
        assertTrue(e.getMessage().contains("schema.history.internal.cdc.lease.epoch"), e.getMessage());
    }
}
