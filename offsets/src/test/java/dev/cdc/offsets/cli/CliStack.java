package dev.cdc.offsets.cli;

import dev.cdc.localstack.DatabaseKind;
import dev.cdc.localstack.LocalStack;
import dev.cdc.offsets.FencedOffsetBackingStore;
import dev.cdc.offsets.Lease;
import dev.cdc.offsets.LeaseManager;
import dev.cdc.offsets.SharedStore;
import dev.cdc.offsets.StoreConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A real stack (source and store, each MariaDB or MySQL; Kafka) and helpers to build a known store state and run the CLI in-process. */
final class CliStack {

    /** A binlog position read from the source with SHOW BINARY LOG STATUS (MySQL) or SHOW MASTER STATUS (MariaDB). */
    record Position(String file, long pos, String gtid, long tsSec) {
        String offset(long event, long row) {
            return "{\"ts_sec\":" + tsSec + ",\"file\":\"" + file + "\",\"pos\":" + pos + ",\"gtids\":\"" + gtid + "\",\"row\":" + row
                    + ",\"server_id\":1,\"event\":" + event + "}";
        }
    }

    /** One CLI run: exit code, stdout, stderr. */
    record Run(List<String> args, int code, String out, String err) {
        @Override
        public String toString() {
            return "offsets " + String.join(" ", args) + " -> exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    final LocalStack stack;
    final SharedStore store;
    final StoreConfig storeConfig;

    CliStack(Path work) {
        this(work, DatabaseKind.MARIADB, DatabaseKind.MARIADB);
    }

    CliStack(Path work, DatabaseKind source, DatabaseKind storeServer) {
        stack = LocalStack.start(work, source, storeServer);
        storeConfig = new StoreConfig(stack.store().url(), stack.store().user(), stack.store().password());
        store = SharedStore.open(storeConfig);
    }

    /** The environment a connector host would have: store and source settings, no Kafka. */
    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("CDC_STORE_URL", stack.store().url());
        env.put("CDC_STORE_USER", stack.store().user());
        env.put("CDC_STORE_PASSWORD", stack.store().password());
        env.put("CDC_SOURCE_URL", stack.cdc().url());
        env.put("CDC_SOURCE_USER", stack.cdc().user());
        env.put("CDC_SOURCE_PASSWORD", stack.cdc().password());
        return env;
    }

    Map<String, String> envWithKafka() {
        Map<String, String> env = env();
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.kafka().bootstrapServers());
        return env;
    }

    /** The passwords that must never appear in any output. */
    List<String> secrets() {
        return List.of(stack.store().password(), stack.cdc().password());
    }

    static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = OffsetsCommand.commandLine(env, new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(List.of(args), code, out.toString(), err.toString());
    }

    Position head() throws SQLException {
        try (Connection c = stack.source().rootConnection(); Statement s = c.createStatement()) {
            String file;
            long pos;
            boolean mysql = stack.source().kind() == DatabaseKind.MYSQL;
            try (ResultSet rs = s.executeQuery(mysql ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS")) {
                rs.next();
                file = rs.getString(1);
                pos = rs.getLong(2);
            }
            try (ResultSet rs = s.executeQuery(mysql ? "SELECT REPLACE(@@gtid_executed, '\n', ''), UNIX_TIMESTAMP()"
                    : "SELECT @@gtid_binlog_pos, UNIX_TIMESTAMP()")) {
                rs.next();
                return new Position(file, pos, rs.getString(1), rs.getLong(2));
            }
        }
    }

    void source(String... sql) throws SQLException {
        try (Connection c = stack.source().rootConnection(); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    Lease acquire(String connector, String owner, Duration ttl) {
        return new LeaseManager(store.dataSource(), connector, owner, ttl).tryAcquire().orElseThrow();
    }

    void release(Lease lease) {
        new LeaseManager(store.dataSource(), lease.connectorName(), lease.ownerId(), Duration.ofSeconds(1)).release(lease);
    }

    /** Commits an offset the way the engine does: through the fenced store, which also appends to the offset log. */
    void commit(Lease lease, String offsetJson) throws Exception {
        FencedOffsetBackingStore s = new FencedOffsetBackingStore(storeConfig, lease.connectorName(), lease.ownerId(), lease.epoch());
        s.start();
        try {
            String key = Offsets.partitionKey(lease.connectorName());
            s.set(Map.of(buffer(key), buffer(offsetJson)), null).get();
        } finally {
            s.stop();
        }
    }

    void schemaHistory(String connector, int records, long epoch) throws SQLException {
        for (int i = 1; i <= records; i++) {
            storeSql("INSERT INTO cdc_schema_history (connector_name, seq, record, epoch) VALUES ('" + connector + "', " + i
                    + ", '{\"source\":{\"server\":\"" + connector + "\"},\"ddl\":\"CREATE TABLE t" + i + " (id INT PRIMARY KEY)\"}', " + epoch + ")");
        }
    }

    void storeSql(String sql) throws SQLException {
        try (Connection c = storeRoot(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    String storeString(String sql) throws SQLException {
        try (Connection c = storeRoot(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Everything set/reset may change, except lease expiry times (which renewals move): equal before and after = nothing written. */
    String fingerprint() throws SQLException {
        try (Connection c = storeRoot(); Statement s = c.createStatement()) {
            s.execute("SET SESSION group_concat_max_len = 1000000");
            try (ResultSet rs = s.executeQuery("SELECT CONCAT_WS(' | ',"
                    + " (SELECT GROUP_CONCAT(connector_name, partition_key, offset_value, epoch, committed_at ORDER BY connector_name, partition_key) FROM cdc_offset),"
                    + " (SELECT CONCAT(COUNT(*), '/', COALESCE(MAX(id), 0)) FROM cdc_offset_log),"
                    + " (SELECT GROUP_CONCAT(connector_name, owner_id, epoch ORDER BY connector_name) FROM cdc_lease),"
                    + " (SELECT COUNT(*) FROM cdc_schema_history),"
                    + " (SELECT GROUP_CONCAT(connector_name, generation, COALESCE(source_server, '-') ORDER BY connector_name) FROM cdc_lineage))")) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private Connection storeRoot() throws SQLException {
        Connection c = stack.target().rootConnection();
        c.setCatalog("cdc_store");
        return c;
    }

    static ByteBuffer buffer(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Real outputs for docs/offsets-cli.md, written to target/cli-examples/. */
    static void example(String name, Run run) {
        try {
            Path dir = Path.of("target", "cli-examples");
            Files.createDirectories(dir);
            List<String> lines = new ArrayList<>();
            lines.add("$ offsets " + String.join(" ", run.args()));
            if (!run.out().isBlank()) {
                lines.add(run.out().stripTrailing());
            }
            if (!run.err().isBlank()) {
                lines.add(run.err().stripTrailing());
            }
            lines.add("(exit " + run.code() + ")");
            Files.writeString(dir.resolve(name + ".txt"), String.join("\n", lines) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void close() {
        store.close();
        stack.close();
    }
}
