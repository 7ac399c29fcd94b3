package dev.cdc.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running process of a local database server, shared by {@link LocalMariaDb} and {@link LocalMySql}: start it with
 * its output appended to a log file and wait until root can connect (or it exits, naming the log's tail), stop it
 * with SIGTERM and a grace period. A shutdown hook kills it if the JVM ends first, so no server outlives a test run.
 */
final class ServerProcess {

    private static final Logger log = LoggerFactory.getLogger(ServerProcess.class);

    private final String name;
    private final Duration startTimeout;
    private final Duration stopGrace;
    private Process process;

    /** @param name the server's name in messages: {@code MariaDB}, {@code MySQL} */
    ServerProcess(String name, Duration startTimeout, Duration stopGrace) {
        this.name = name;
        this.startTimeout = startTimeout;
        this.stopGrace = stopGrace;
    }

    synchronized void start(ProcessBuilder builder, Path logFile, LocalDatabase db) {
        Process started;
        try {
            started = builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + builder.command().get(0) + ": " + e.getMessage(), e);
        }
        process = started;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, name.toLowerCase() + "-stop-" + db.port()));
        long deadline = System.nanoTime() + startTimeout.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!started.isAlive()) {
                throw new IllegalStateException(name + " exited at start (exit " + started.exitValue() + "); log " + logFile + ":\n"
                        + LocalMariaDb.tail(logFile));
            }
            try (Connection c = db.rootConnection()) {
                log.info("{} ready on 127.0.0.1:{} (data {})", name, db.port(), db.dataDir());
                return;
            } catch (SQLException e) {
                last = e;
            }
            LocalMariaDb.sleep(100);
        }
        throw new IllegalStateException(name + " did not accept connections on port " + db.port() + " within " + startTimeout
                + " (" + (last == null ? "" : last.getMessage()) + "); log " + logFile + ":\n" + LocalMariaDb.tail(logFile));
    }

    synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** SIGTERM, then SIGKILL if the server has not exited within the grace period. */
    synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(stopGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }
}
