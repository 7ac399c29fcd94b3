package dev.cdc.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real MySQL server ({@link MySqlBinaries}) in its own data directory on 127.0.0.1: binary log on, ROW format,
 * FULL row image, GTIDs on, server_id=1. Root has no password (--initialize-insecure) and is reachable only on
 * loopback.
 */
public final class LocalMySql implements LocalDatabase {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final MySqlBinaries binaries;
    private final Path dataDir;
    private final int port;
    private final List<String> extraArgs;
    private final ServerProcess server = new ServerProcess("MySQL", START_TIMEOUT, Duration.ofSeconds(60));

    private LocalMySql(MySqlBinaries binaries, Path dataDir, int port, List<String> extraArgs) {
        this.binaries = binaries;
        this.dataDir = dataDir;
        this.port = port;
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** Initialises {@code dataDir} if it does not exist yet and starts the server; port 0 picks a free one. */
    public static LocalMySql start(Path dataDir, int port, String... extraServerArgs) {
        LocalMySql db = new LocalMySql(MySqlBinaries.locate(), dataDir.toAbsolutePath(), port == 0 ? LocalMariaDb.freePort() : port,
                List.of(extraServerArgs));
        db.initialiseIfNeeded();
        db.startProcess();
        return db;
    }

    @Override
    public DatabaseKind kind() {
        return DatabaseKind.MYSQL;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public Path dataDir() {
        return dataDir;
    }

    @Override
    public boolean isRunning() {
        return server.isRunning();
    }

    @Override
    public void stop() {
        server.stop();
    }

    @Override
    public void restart() {
        stop();
        startProcess();
    }

    private List<String> commonArgs() {
        List<String> cmd = new ArrayList<>(binaries.command());
        cmd.addAll(List.of("--no-defaults",
                "--user=" + System.getProperty("user.name"),
                "--datadir=" + dataDir,
                "--basedir=" + binaries.baseDir(),
                "--lc-messages-dir=" + binaries.messagesDir(),
                "--tmpdir=" + tmpDir()));
        return cmd;
    }

    private void initialiseIfNeeded() {
        if (Files.exists(dataDir)) {
            return;
        }
        List<String> cmd = commonArgs();
        cmd.add("--initialize-insecure");
        Path logFile = dataDir.resolveSibling(dataDir.getFileName() + "-install.log");
        try {
            Process init = processBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
            if (!init.waitFor(180, TimeUnit.SECONDS) || init.exitValue() != 0) {
                throw new IllegalStateException("mysqld --initialize-insecure failed for " + dataDir + "; see " + logFile + ":\n"
                        + LocalMariaDb.tail(logFile));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void startProcess() {
        List<String> cmd = commonArgs();
        cmd.addAll(List.of(
                "--port=" + port,
                "--bind-address=127.0.0.1",
                "--socket=" + dataDir.resolveSibling(dataDir.getFileName() + ".sock"),
                "--pid-file=" + dataDir.resolve("mysqld.pid"),
                "--secure-file-priv=", // the default, /var/lib/mysql-files, does not exist here and mysqld aborts on it
                "--mysqlx=OFF",
                "--log-bin=" + dataDir.resolve("binlog"),
                "--binlog-format=ROW",
                "--binlog-row-image=FULL",
                "--server-id=1",
                "--gtid-mode=ON",
                "--enforce-gtid-consistency=ON",
                "--character-set-server=utf8mb4",
                "--innodb-buffer-pool-size=128M",
                "--innodb-flush-log-at-trx-commit=2",
                "--sync-binlog=0",
                "--max-connections=300"));
        cmd.addAll(extraArgs);
        server.start(processBuilder(cmd), dataDir.resolveSibling(dataDir.getFileName() + "-server.log"), this);
    }

    private Path tmpDir() {
        return dataDir.resolveSibling(dataDir.getFileName() + "-tmp");
    }

    private ProcessBuilder processBuilder(List<String> cmd) {
        try {
            Files.createDirectories(tmpDir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("TMPDIR", tmpDir().toString());
        return pb;
    }
}
