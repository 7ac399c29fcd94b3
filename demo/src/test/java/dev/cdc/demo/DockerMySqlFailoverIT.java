package dev.cdc.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdc.localstack.LocalStack;
import dev.cdc.localstack.SqlScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MySQLContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The Docker demo's scenario against a real MySQL 8.4 (Debezium's MySQL connector, chosen from SELECT VERSION()):
 * the source runs in a container configured from sql/conf and loaded from sql/source, as docker-compose.yml does;
 * the target + shared store (MariaDB) and Kafka come from the local stack; the connectors and the processor run in
 * their own JVMs. Snapshot and changes propagate, the active connector is killed with kill -9 under load, the
 * standby takes over, and the target equals the source with every change applied once.
 * Where no Docker engine answers, the test is skipped with the reason.
 */
class DockerMySqlFailoverIT {

    static final String SKIP_MESSAGE = "SKIPPED: no Docker engine on this machine; the MySQL 8.4 propagation and failover scenario "
            + "(debezium-connector-mysql path) runs only where Docker is available";
    private static final String NAME = "mysql84";
    private static final Duration TTL = Duration.ofSeconds(2);
    private static final int SNAPSHOT_ROWS = 11; // sql/source/demo-data.sql

    @TempDir
    Path work;

    @Test
    void snapshotAndChangesPropagateAndTheStandbyTakesOverAfterKillNine() throws Exception {
        boolean docker = DockerClientFactory.instance().isDockerAvailable();
        if (!docker) {
            System.out.println(SKIP_MESSAGE);
        }
        Assumptions.assumeTrue(docker, SKIP_MESSAGE);

        Path root = ComposeFileTest.findRepositoryRoot();
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        String rootPassword = "p" + HexFormat.of().formatHex(random);
        try (MySQLContainer<?> mysql = new MySQLContainer<>(DockerImageName.parse("mysql:8.4"))
                .withPassword(rootPassword)
                .withCopyFileToContainer(MountableFile.forHostPath(root.resolve("sql/conf/binlog.cnf"), 0644), "/etc/mysql/conf.d/binlog.cnf")
                .withCopyFileToContainer(MountableFile.forHostPath(root.resolve("sql/conf/mysql-gtid.cnf"), 0644), "/etc/mysql/conf.d/mysql-gtid.cnf");
             LocalStack stack = startStack()) {
            mysql.start();
            String server = "jdbc:mysql://" + mysql.getHost() + ":" + mysql.getMappedPort(3306);
            String options = "?allowPublicKeyRetrieval=true&sslMode=PREFERRED";
            try (Connection source = DriverManager.getConnection(server + "/" + options, "root", rootPassword);
                 Connection target = DriverManager.getConnection(stack.targetDb().url(), stack.targetDb().user(), stack.targetDb().password());
                 Connection store = DriverManager.getConnection(stack.store().url(), stack.store().user(), stack.store().password());
                 Connection writes = DriverManager.getConnection(server + "/" + options, "root", rootPassword);
                 Pipeline pipeline = new Pipeline(stack, work.resolve("logs"), NAME).leaseTtl(TTL)) {
                assertEquals(List.of("ROW", "FULL", "ON"), row(source, "SELECT @@binlog_format, @@binlog_row_image, @@gtid_mode"),
                        "the source runs with sql/conf: row-based binlog, full row images, GTIDs");
                // The cdc user gets the local stack's cdc password: Pipeline hands that one to the connectors.
                SqlScript.run(source, Files.readString(root.resolve("sql/source/demo-schema.sql")), Map.of());
                SqlScript.run(source, Files.readString(root.resolve("sql/source/demo-data.sql")), Map.of());
                SqlScript.run(source, Files.readString(root.resolve("sql/source/cdc-user.sql")), Map.of("CDC_PASSWORD", stack.cdc().password()));
                for (Connection c : List.of(source, target)) {
                    try (Statement s = c.createStatement()) {
                        s.execute("SET time_zone = '+00:00'"); // TIMESTAMP columns compare as the same instants
                    }
                }

                Map<String, String> mysqlSource = Map.of("cdc.source.url", server, "cdc.source.user", "cdc");
                AppProcess processor = pipeline.startProcessor();
                AppProcess a = pipeline.startConnector("connector-a", mysqlSource);
                assertEquals("connector-a", awaitLeader(store, Duration.ofSeconds(90)), a.logText());
                assertTrue(a.logText().contains("io.debezium.connector.mysql.MySqlConnector"), "MySQL 8.4 → Debezium's MySQL connector");
                AppProcess b = pipeline.startConnector("connector-b", mysqlSource);
                assertTrue(b.awaitLog("started as STANDBY", Duration.ofSeconds(60)), b.logText());

                assertEqual(source, target, "snapshot");
                Workload workload = new Workload(writes, 84);
                workload.run(200, 100);
                assertEqual(source, target, "changes");

                AtomicBoolean running = new AtomicBoolean(true);
                AtomicReference<Exception> workloadError = new AtomicReference<>();
                Thread writer = new Thread(() -> {
                    try {
                        while (running.get()) {
                            workload.run(20, 100);
                        }
                    } catch (Exception e) {
                        workloadError.set(e);
                    }
                }, "workload");
                writer.start();
                try {
                    assertTrue(a.awaitLog("events of epoch 1 published", Duration.ofSeconds(60)), "the active publishes before it is killed");
                    AppProcess.sleep(1000);
                    a.kill9();
                    assertTrue(b.awaitLog("is now ACTIVE with lease epoch 2", TTL.plusSeconds(30)), "the standby takes over: " + b.logText());
                    AppProcess.sleep(2000); // changes keep coming after the failover
                } finally {
                    running.set(false);
                    writer.join();
                }
                if (workloadError.get() != null) {
                    throw workloadError.get();
                }
                assertEqual(source, target, "after the failover");
                assertEquals(List.of("connector-b", "2"), row(store, "SELECT owner_id, epoch FROM cdc_lease WHERE connector_name = '" + NAME + "'"));

                String metrics = pipeline.get(processor, "/prometheus");
                long applied = Math.round(Metrics.prometheusValue(metrics, "cdc.processor.applied", "op:c")
                        + Metrics.prometheusValue(metrics, "cdc.processor.applied", "op:u")
                        + Metrics.prometheusValue(metrics, "cdc.processor.applied", "op:d"));
                System.out.printf("DockerMySqlFailoverIT: %d source row changes, %d applied%n", workload.rowChanges(), applied);
                assertEquals(workload.rowChanges(), applied, "each source change applied exactly once");
                assertEquals(SNAPSHOT_ROWS, Math.round(Metrics.prometheusValue(metrics, "cdc.processor.applied", "op:r")), "one snapshot");
            }
        }
    }

    private LocalStack startStack() {
        return LocalStack.start(work.resolve("stack"));
    }

    private static void assertEqual(Connection source, Connection target, String when) throws SQLException {
        List<String> diffs = TableComparison.awaitEqual(source, "shop", target, "cdc_target", LocalRun.TABLES, Duration.ofSeconds(120));
        assertTrue(diffs.isEmpty(), "target differs from source (" + when + "): " + diffs);
    }

    private static String awaitLeader(Connection store, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (PreparedStatement ps = store.prepareStatement("SELECT owner_id FROM cdc_lease WHERE connector_name = ? AND expires_at > NOW(3)")) {
                ps.setString(1, NAME);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return rs.getString(1);
                    }
                }
            } catch (SQLException e) {
                // the store's tables appear when the first connector has started
            }
            AppProcess.sleep(100);
        }
        throw new AssertionError("no leader within " + timeout);
    }

    private static List<String> row(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), "a row from: " + sql);
            List<String> values = new java.util.ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                values.add(rs.getString(i));
            }
            return values;
        }
    }
}
