package dev.cdc.offsets;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.OffsetStorageReaderImpl;
import org.apache.kafka.connect.storage.OffsetStorageWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FencedOffsetBackingStoreIT {

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

    static String key(String connector) {
        return "[\"" + connector + "\",{\"server\":\"" + connector + "\"}]";
    }

    static String value(long pos) {
        return "{\"file\":\"binlog.000001\",\"pos\":" + pos + ",\"gtids\":\"0-1-11\",\"row\":1,\"server_id\":1,\"event\":2,\"ts_sec\":1763000000}";
    }

    static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(UTF_8));
    }

    static String text(ByteBuffer b) {
        return b == null ? null : UTF_8.decode(b.duplicate()).toString();
    }

    Lease acquire(String connector, String owner, Duration ttl) {
        return new LeaseManager(t.store.dataSource(), connector, owner, ttl).tryAcquire().orElseThrow();
    }

    FencedOffsetBackingStore started(Lease lease) {
        FencedOffsetBackingStore store = new FencedOffsetBackingStore(t.config, lease.connectorName(), lease.ownerId(), lease.epoch());
        store.start();
        return store;
    }

    static void set(FencedOffsetBackingStore store, String key, String value) throws Exception {
        Map<ByteBuffer, ByteBuffer> values = new HashMap<>();
        values.put(bytes(key), value == null ? null : bytes(value));
        store.set(values, null).get(10, TimeUnit.SECONDS);
    }

    static Map<ByteBuffer, ByteBuffer> get(FencedOffsetBackingStore store, String... keys) throws Exception {
        List<ByteBuffer> list = new ArrayList<>();
        for (String k : keys) {
            list.add(bytes(k));
        }
        return store.get(list).get(10, TimeUnit.SECONDS);
    }

    @Test
    void setThenGetRoundTripsByteExact() throws Exception {
        Lease lease = acquire("roundtrip", "a", LONG);
        FencedOffsetBackingStore store = started(lease);
        try {
            String key = key("roundtrip");
            // Unicode and escapes must survive as they are.
            String value = "{\"file\":\"binlog.000001\",\"pos\":2765,\"gtids\":\"0-1-11,1-2-3\",\"row\":1,\"server_id\":1,\"event\":2,"
                    + "\"ts_sec\":1763000000,\"note\":\"Zürich \\u00e9 \uD83D\uDE00 \\\"q\\\"\"}";
            set(store, key, value);
            Map<ByteBuffer, ByteBuffer> got = get(store, key, key("other"));
            assertEquals(1, got.size());
            assertArrayEquals(value.getBytes(UTF_8), toArray(got.get(bytes(key))));
            assertEquals(value, t.string("SELECT offset_value FROM cdc_offset WHERE connector_name = 'roundtrip'"));
            assertEquals(key, t.string("SELECT partition_key FROM cdc_offset WHERE connector_name = 'roundtrip'"));
        } finally {
            store.stop();
        }
    }

    @Test
    void aNewStoreInstanceReadsWhatThePreviousOneWrote() throws Exception {
        Lease lease = acquire("restart", "a", LONG);
        FencedOffsetBackingStore first = started(lease);
        set(first, key("restart"), value(100));
        set(first, key("restart"), value(200));
        first.stop();

        FencedOffsetBackingStore second = started(lease);
        try {
            assertEquals(value(200), text(get(second, key("restart")).get(bytes(key("restart")))));
            assertEquals(Set.of(Map.of("server", "restart")), second.connectorPartitions("restart"));
            assertEquals(Set.of(), second.connectorPartitions("some-other-engine"));
        } finally {
            second.stop();
        }
    }

    @Test
    void keysDifferingOnlyInCaseAreDistinctPartitions() throws Exception {
        Lease lease = acquire("case", "a", LONG);
        FencedOffsetBackingStore store = started(lease);
        try {
            String lower = "[\"case\",{\"server\":\"demo\"}]";
            String upper = "[\"case\",{\"server\":\"DEMO\"}]";
            set(store, lower, value(1));
            set(store, upper, value(2));
            Map<ByteBuffer, ByteBuffer> got = get(store, lower, upper);
            assertEquals(value(1), text(got.get(bytes(lower))));
            assertEquals(value(2), text(got.get(bytes(upper))));
        } finally {
            store.stop();
        }
    }

    @Test
    void everyCommitAppendsALogRowWithEpochAndOwner() throws Exception {
        Lease lease = acquire("log", "owner-a", LONG);
        FencedOffsetBackingStore store = started(lease);
        try {
            set(store, key("log"), value(1));
            set(store, key("log"), value(2));
            Map<ByteBuffer, ByteBuffer> two = new LinkedHashMap<>();
            two.put(bytes(key("log")), bytes(value(3)));
            two.put(bytes("[\"log\",{\"server\":\"second\"}]"), bytes(value(4)));
            store.set(two, null).get();

            List<OffsetLogEntry> log = new OffsetLog(t.store.dataSource()).recent("log", 10);
            assertEquals(4, log.size());
            for (OffsetLogEntry e : log) {
                assertEquals("commit", e.kind());
                assertEquals(1, e.epoch());
                assertEquals("owner-a", e.ownerId());
                assertEquals("log", e.connectorName());
            }
            assertEquals(value(1), log.get(3).offsetValue());
            assertEquals(value(2), log.get(2).offsetValue());
            assertTrue(log.get(0).id() > log.get(1).id() && log.get(1).id() > log.get(2).id(), "newest first");
        } finally {
            store.stop();
        }
    }

    /**
     * The store is restored from a backup taken while "a" led at epoch 1, and "b" is then given that same epoch (the
     * lease row names b at epoch 1). "a", still running with epoch 1, must be refused although its epoch matches.
     */
    @Test
    void aWriterWithTheCurrentEpochButAnotherOwnerIsFencedAndChangesNothing() throws Exception {
        Lease leaseA = acquire("reuse", "a", LONG);
        FencedOffsetBackingStore zombie = started(leaseA);
        List<FencingException> published = new ArrayList<>();
        try (FencingEvents.Subscription sub = FencingEvents.subscribe(published::add)) {
            set(zombie, key("reuse"), value(100));
            t.execute("UPDATE cdc_lease SET owner_id = 'b' WHERE connector_name = 'reuse'");
            assertEquals(leaseA.epoch(), t.count("SELECT epoch FROM cdc_lease WHERE connector_name = 'reuse'"));
            long logRows = t.count("SELECT COUNT(*) FROM cdc_offset_log WHERE connector_name = 'reuse'");

            Future<Void> result = zombie.set(Map.of(bytes(key("reuse")), bytes(value(999))), null);
            ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(10, TimeUnit.SECONDS));
            FencingException fenced = assertInstanceOf(FencingException.class, e.getCause());
            assertEquals("Fenced: connector reuse lease epoch 1 is held by b, not by this writer (a); the lease row was reused"
                    + " (store restored from a backup or edited): this writer must stop", fenced.getMessage());
            assertEquals("a", fenced.writerOwner());
            assertEquals(List.of(fenced), published);
            assertEquals(value(100), t.string("SELECT offset_value FROM cdc_offset WHERE connector_name = 'reuse'"));
            assertEquals(logRows, t.count("SELECT COUNT(*) FROM cdc_offset_log WHERE connector_name = 'reuse'"));

            FencedOffsetBackingStore b = started(new Lease("reuse", "b", leaseA.epoch()));
            try {
                set(b, key("reuse"), value(200));
                assertEquals(value(200), t.string("SELECT offset_value FROM cdc_offset WHERE connector_name = 'reuse'"));
            } finally {
                b.stop();
            }
        } finally {
            zombie.stop();
        }
    }

    @Test
    void aWriteUnderAnOldEpochIsFencedAndChangesNothing() throws Exception {
        Duration ttl = Duration.ofMillis(300);
        Lease leaseA = acquire("fence", "a", ttl);
        FencedOffsetBackingStore zombie = started(leaseA);
        List<FencingException> published = new ArrayList<>();
        try (FencingEvents.Subscription sub = FencingEvents.subscribe(published::add)) {
            set(zombie, key("fence"), value(100));

            LeaseManager b = new LeaseManager(t.store.dataSource(), "fence", "b", LONG);
            TestStore.awaitExpired(b);
            Lease leaseB = b.tryAcquire().orElseThrow();
            assertEquals(2, leaseB.epoch());
            long logRows = t.count("SELECT COUNT(*) FROM cdc_offset_log WHERE connector_name = 'fence'");

            AtomicReference<Throwable> callbackError = new AtomicReference<>();
            Map<ByteBuffer, ByteBuffer> late = Map.of(bytes(key("fence")), bytes(value(999)));
            Future<Void> result = zombie.set(late, (error, ignored) -> callbackError.set(error));

            ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(10, TimeUnit.SECONDS));
            FencingException fenced = assertInstanceOf(FencingException.class, e.getCause());
            assertSame(fenced, callbackError.get());
            assertEquals("Fenced: connector fence is now at lease epoch 2 held by b; this writer has epoch 1 and must stop", fenced.getMessage());
            assertEquals(2L, fenced.currentEpoch());
            assertEquals(List.of(fenced), published);
            assertSame(fenced, zombie.fenced());

            assertEquals(value(100), t.string("SELECT offset_value FROM cdc_offset WHERE connector_name = 'fence'"));
            assertEquals(1, t.count("SELECT epoch FROM cdc_offset WHERE connector_name = 'fence'"));
            assertEquals(logRows, t.count("SELECT COUNT(*) FROM cdc_offset_log WHERE connector_name = 'fence'"));

            // The new leader's store writes normally.
            FencedOffsetBackingStore leader = started(leaseB);
            try {
                set(leader, key("fence"), value(200));
                assertEquals(value(200), text(get(leader, key("fence")).get(bytes(key("fence")))));
                assertEquals(2, t.count("SELECT epoch FROM cdc_offset WHERE connector_name = 'fence'"));
            } finally {
                leader.stop();
            }
            // A fenced writer stays fenced.
            assertThrows(ExecutionException.class, () -> zombie.set(late, null).get());
            assertEquals(value(200), t.string("SELECT offset_value FROM cdc_offset WHERE connector_name = 'fence'"));
        } finally {
            zombie.stop();
        }
    }

    @Test
    void aWriterWithoutALeaseRowIsFenced() throws Exception {
        FencedOffsetBackingStore store = new FencedOffsetBackingStore(t.config, "no-lease", "a", 1);
        store.start();
        try {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> store.set(Map.of(bytes(key("no-lease")), bytes(value(1))), null).get());
            assertEquals("Fenced: connector no-lease has no lease in the shared store; this writer has epoch 1 and must stop",
                    e.getCause().getMessage());
            assertEquals(0, t.count("SELECT COUNT(*) FROM cdc_offset WHERE connector_name = 'no-lease'"));
            assertEquals(0, t.count("SELECT COUNT(*) FROM cdc_offset_log WHERE connector_name = 'no-lease'"));
        } finally {
            store.stop();
        }
    }

    @Test
    void aNullValueDeletesThePartitionAndIsLogged() throws Exception {
        Lease lease = acquire("delete", "a", LONG);
        FencedOffsetBackingStore store = started(lease);
        try {
            set(store, key("delete"), value(1));
            assertEquals(1, get(store, key("delete")).size());
            set(store, key("delete"), null);
            assertEquals(Map.of(), get(store, key("delete")));
            assertEquals(0, t.count("SELECT COUNT(*) FROM cdc_offset WHERE connector_name = 'delete'"));
            OffsetLogEntry newest = new OffsetLog(t.store.dataSource()).recent("delete", 1).get(0);
            assertNull(newest.offsetValue());
            assertEquals(key("delete"), newest.partitionKey());
        } finally {
            store.stop();
        }
    }

    @Test
    void theOffsetLogKeepsTheNewestRowsPerConnector() throws Exception {
        Lease lease = acquire("prune", "a", LONG);
        Lease other = acquire("prune-other", "a", LONG);
        FencedOffsetBackingStore otherStore = started(other);
        for (int i = 0; i < 8; i++) {
            set(otherStore, key("prune-other"), value(i));
        }
        otherStore.stop();

        FencedOffsetBackingStore store = new FencedOffsetBackingStore(t.config, "prune", "a", lease.epoch(), 5, 3);
        store.start();
        try {
            for (int i = 1; i <= 20; i++) {
                set(store, key("prune"), value(i));
            }
            // Pruned in writes 1, 4, ..., 19 (to the newest 5); write 20 added one more.
            List<OffsetLogEntry> log = new OffsetLog(t.store.dataSource()).recent("prune", 100);
            assertEquals(6, log.size());
            assertEquals(value(20), log.get(0).offsetValue());
            assertEquals(value(15), log.get(5).offsetValue());
            assertEquals(8, t.count("SELECT COUNT(*) FROM cdc_offset_log WHERE connector_name = 'prune-other'"), "other connectors untouched");
        } finally {
            store.stop();
        }
    }

    @Test
    void theEngineConfiguresItFromWorkerConfigOriginals() throws Exception {
        Lease lease = acquire("engine", "instance-1", LONG);
        Map<String, String> props = new HashMap<>();
        props.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        props.put("cdc.store.url", t.config.url());
        props.put("cdc.store.user", t.config.user());
        props.put("cdc.store.password", t.config.password());
        props.put("cdc.connector.name", "engine");
        props.put("cdc.owner.id", "instance-1");
        props.put("cdc.lease.epoch", String.valueOf(lease.epoch()));

        FencedOffsetBackingStore store = (FencedOffsetBackingStore) Class.forName(FencedOffsetBackingStore.class.getName())
                .getDeclaredConstructor().newInstance();
        store.configure(new TestWorkerConfig(props));
        store.start();
        try {
            set(store, key("engine"), value(7));
            assertEquals(value(7), text(get(store, key("engine")).get(bytes(key("engine")))));
            assertEquals("instance-1", new OffsetLog(t.store.dataSource()).recent("engine", 1).get(0).ownerId());
        } finally {
            store.stop();
        }

        props.remove("cdc.lease.epoch");
        ConfigException missing = assertThrows(ConfigException.class, () -> new FencedOffsetBackingStore().configure(new TestWorkerConfig(props)));
        assertTrue(missing.getMessage().contains("cdc.lease.epoch"), missing.getMessage());
    }

    @Test
    void kafkaConnectsOffsetWriterAndReaderRoundTripThroughTheStore() throws Exception {
        // The same classes and converter settings the embedded engine uses for its offsets.
        JsonConverter keys = new JsonConverter();
        keys.configure(Map.of("schemas.enable", "false"), true);
        JsonConverter values = new JsonConverter();
        values.configure(Map.of("schemas.enable", "false"), false);
        Lease lease = acquire("demo", "a", LONG);
        FencedOffsetBackingStore store = started(lease);
        try {
            OffsetStorageWriter writer = new OffsetStorageWriter(store, "demo", keys, values);
            Map<String, Object> offset = new LinkedHashMap<>();
            offset.put("file", "binlog.000001");
            offset.put("pos", 2765L);
            offset.put("gtids", "0-1-11");
            offset.put("row", 1);
            writer.offset(Map.of("server", "demo"), offset);
            assertTrue(writer.beginFlush());
            writer.doFlush((error, ignored) -> { }).get(10, TimeUnit.SECONDS);

            assertEquals("[\"demo\",{\"server\":\"demo\"}]", t.string("SELECT partition_key FROM cdc_offset WHERE connector_name = 'demo'"));
            assertEquals("{\"file\":\"binlog.000001\",\"pos\":2765,\"gtids\":\"0-1-11\",\"row\":1}",
                    t.string("SELECT offset_value FROM cdc_offset WHERE connector_name = 'demo'"));

            FencedOffsetBackingStore restarted = started(lease);
            try (OffsetStorageReaderImpl reader = new OffsetStorageReaderImpl(restarted, "demo", keys, values)) {
                Map<String, Object> read = reader.offset(Map.of("server", "demo"));
                assertEquals("binlog.000001", read.get("file"));
                assertEquals(2765L, ((Number) read.get("pos")).longValue());
                assertEquals("0-1-11", read.get("gtids"));
            } finally {
                restarted.stop();
            }
        } finally {
            store.stop();
        }
    }

    @Test
    void startAgainstAStoppedServerFailsWithTheOneLineMessage() {
        FencedOffsetBackingStore store = new FencedOffsetBackingStore(
                new StoreConfig("jdbc:mysql://127.0.0.1:1/cdc_store", "cdc_store", "pw"), "down", "a", 1);
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class, store::start);
        assertEquals("Shared store jdbc:mysql://127.0.0.1:1/cdc_store unreachable (Connection refused). Fix: check cdc.store.url and that the database is running.",
                e.getMessage());
    }

    private static byte[] toArray(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    /** What Debezium's embedded engine passes: a WorkerConfig over all engine properties. */
    static final class TestWorkerConfig extends WorkerConfig {
        TestWorkerConfig(Map<String, String> props) {
            super(baseConfigDef(), props);
        }
    }
}
