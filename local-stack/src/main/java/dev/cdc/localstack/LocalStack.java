package dev.cdc.localstack;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.Map;

/**
 * The servers of the local run and the integration tests: a source database, a target database that also hosts
 * the shared store (database {@code cdc_store}), each MariaDB or MySQL, and a Kafka broker. The store is not on the source because
 * Debezium's snapshot lock (FLUSH TABLES WITH READ LOCK) would block the store's own writes there.
 * Passwords for the service's users are random per stack, so none lives in the repository.
 */
public final class LocalStack implements AutoCloseable {

    /** A database user of the stack, with the JDBC URL of the database it works in. */
    public record Credentials(String url, String user, String password) {
    }

    private final LocalDatabase source;
    private final LocalDatabase target;
    private final LocalKafka kafka;
    private final Credentials cdc;
    private final Credentials store;
    private final Credentials targetUser;

    private LocalStack(LocalDatabase source, LocalDatabase target, LocalKafka kafka) throws SQLException {
        this.source = source;
        this.target = target;
        this.kafka = kafka;
        this.cdc = new Credentials(source.jdbcUrl(""), "cdc", randomPassword());
        this.store = new Credentials(target.jdbcUrl("cdc_store"), "cdc_store", randomPassword());
        this.targetUser = new Credentials(target.jdbcUrl("cdc_target"), "cdc_target", randomPassword());
        // Creating the users is also the first committed transaction on the source: the MariaDB connector
        // fails when it starts on a server that has no GTID yet.
        try (Connection c = source.rootConnection()) {
            SqlScript.runResource(c, "sql/source/cdc-user.sql", Map.of("CDC_PASSWORD", cdc.password()));
        }
        try (Connection c = target.rootConnection()) {
            SqlScript.runResource(c, "sql/target-db/target-user.sql", Map.of("TARGET_PASSWORD", targetUser.password()));
            SqlScript.runResource(c, "sql/store/store-user.sql", Map.of("STORE_PASSWORD", store.password()));
        }
    }

    /** Starts all three servers under {@code workDir} (fresh data directories if they do not exist), MariaDB for both databases. */
    public static LocalStack start(Path workDir) {
        return start(workDir, DatabaseKind.MARIADB, DatabaseKind.MARIADB);
    }

    /** Starts the source server, the target + store server and Kafka under {@code workDir}. */
    public static LocalStack start(Path workDir, DatabaseKind sourceKind, DatabaseKind targetAndStoreKind) {
        // The three servers start in parallel: each spends most of its start waiting, not computing.
        CompletableFuture<LocalDatabase> source = CompletableFuture.supplyAsync(() -> sourceKind.start(workDir.resolve("source-db"), 0));
        CompletableFuture<LocalDatabase> target = CompletableFuture.supplyAsync(() -> targetAndStoreKind.start(workDir.resolve("target-db"), 0));
        CompletableFuture<LocalKafka> kafka = CompletableFuture.supplyAsync(() -> LocalKafka.start(workDir.resolve("kafka"), 0));
        try {
            return new LocalStack(source.join(), target.join(), kafka.join());
        } catch (RuntimeException | SQLException e) {
            for (CompletableFuture<? extends AutoCloseable> f : List.of(kafka, target, source)) {
                closeQuietly(f.exceptionally(t -> null).join());
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        }
    }

    public LocalDatabase source() {
        return source;
    }

    public LocalDatabase target() {
        return target;
    }

    public LocalKafka kafka() {
        return kafka;
    }

    /** The connector's binlog reader, on the source server (no default database). */
    public Credentials cdc() {
        return cdc;
    }

    /** The shared store: offsets, lease, offset log, schema history. */
    public Credentials store() {
        return store;
    }

    /** The processor's target database. */
    public Credentials targetDb() {
        return targetUser;
    }

    /** Creates the demo schema and its rows on the source (sql/source/demo-schema.sql and demo-data.sql). */
    public void loadDemoSchema() throws SQLException {
        try (Connection c = source.rootConnection()) {
            SqlScript.runResource(c, "sql/source/demo-schema.sql", Map.of());
            SqlScript.runResource(c, "sql/source/demo-data.sql", Map.of());
        }
    }

    @Override
    public void close() {
        closeQuietly(kafka);
        closeQuietly(target);
        closeQuietly(source);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // Best effort on the way out; the processes also die with the JVM.
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return "p" + HexFormat.of().formatHex(bytes);
    }
}
