package dev.cdc.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real MariaDB server in its own data directory on 127.0.0.1, configured the way the connector needs it:
 * binary log on, binlog_format=ROW, binlog_row_image=FULL, server_id=1. Root has no password and is
 * reachable only on loopback; the service's users (cdc, cdc_store, cdc_target) get real passwords.
 */
public final class LocalMariaDb implements LocalDatabase {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final MariaDbBinaries binaries;
    private final Path dataDir;
    private final int port;
    private final List<String> extraArgs;
    private final ServerProcess server = new ServerProcess("MariaDB", START_TIMEOUT, Duration.ofSeconds(30));

    private LocalMariaDb(MariaDbBinaries binaries, Path dataDir, int port, List<String> extraArgs) {
        this.binaries = binaries;
        this.dataDir = dataDir;
        this.port = port;
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** Initialises {@code dataDir} if it is empty and starts the server; port 0 picks a free one. */
    public static LocalMariaDb start(Path dataDir, int port, String... extraServerArgs) {
        LocalMariaDb db = new LocalMariaDb(MariaDbBinaries.locate(), dataDir.toAbsolutePath(), port == 0 ? freePort() : port,
                List.of(extraServerArgs));
        db.installIfNeeded();
        db.startProcess();
        return db;
    }

    @Override
    public DatabaseKind kind() {
        return DatabaseKind.MARIADB;
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

    private void installIfNeeded() {
        if (Files.exists(dataDir.resolve("mysql"))) {
            return;
        }
        try {
            Files.createDirectories(dataDir);
            List<String> cmd = new ArrayList<>(List.of(binaries.installDb().toString(), "--no-defaults",
                    "--datadir=" + dataDir, "--user=" + System.getProperty("user.name"),
                    "--auth-root-authentication-method=normal", "--skip-test-db"));
            if (binaries.baseDir() != null) {
                cmd.add("--basedir=" + binaries.baseDir());
            }
            Path logFile = dataDir.resolveSibling(dataDir.getFileName() + "-install.log");
            Process install = processBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
            if (!install.waitFor(120, TimeUnit.SECONDS) || install.exitValue() != 0) {
                throw new IllegalStateException("mariadb-install-db failed for " + dataDir + "; see " + logFile + ":\n" + tail(logFile));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void startProcess() {
        List<String> cmd = new ArrayList<>(List.of(binaries.mariadbd().toString(), "--no-defaults"));
        if (binaries.baseDir() != null) {
            cmd.add("--basedir=" + binaries.baseDir());
        }
        cmd.addAll(List.of(
                "--datadir=" + dataDir,
                "--user=" + System.getProperty("user.name"),
                "--port=" + port,
                "--bind-address=127.0.0.1",
                "--socket=" + dataDir.resolve("mysqld.sock"),
                "--pid-file=" + dataDir.resolve("mysqld.pid"),
                "--log-bin=" + dataDir.resolve("binlog"),
                "--binlog-format=ROW",
                "--binlog-row-image=FULL",
                "--server-id=1",
                "--tmpdir=" + dataDir.resolveSibling(dataDir.getFileName() + "-tmp"),
                "--skip-name-resolve",
                "--skip-ssl",
                "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_unicode_ci",
                "--innodb-buffer-pool-size=128M",
                "--innodb-log-file-size=64M",
                "--innodb-flush-log-at-trx-commit=2",
                "--sync-binlog=0",
                "--max-connections=300"));
        cmd.addAll(extraArgs);
        server.start(processBuilder(cmd), dataDir.resolveSibling(dataDir.getFileName() + "-server.log"), this);
    }

    /** Each server gets its own tmpdir: servers installed at the same moment otherwise clash on temporary table names in /tmp. */
    private ProcessBuilder processBuilder(List<String> cmd) {
        Path tmp = dataDir.resolveSibling(dataDir.getFileName() + "-tmp");
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("TMPDIR", tmp.toString());
        binaries.libDir().ifPresent(libs -> pb.environment().merge("LD_LIBRARY_PATH", libs.toString(), (a, b) -> b + ":" + a));
        return pb;
    }

    /** A port that was free a moment ago on loopback. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
