package dev.cdc.localstack;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A real database server of the local stack on 127.0.0.1, in its own data directory, with the binary log set up
 * the way the connector needs it (ROW, FULL row image, a server id). Root has no password and is reachable only
 * on loopback; the service's users get real passwords.
 */
public interface LocalDatabase extends AutoCloseable {

    DatabaseKind kind();

    int port();

    default String host() {
        return "127.0.0.1";
    }

    Path dataDir();

    default String jdbcUrl(String database) {
        return "jdbc:mysql://127.0.0.1:" + port() + "/" + (database == null ? "" : database);
    }

    default Connection rootConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl("") + "?allowMultiQueries=true", "root", "");
    }

    boolean isRunning();

    /** A clean shutdown (SIGTERM), waiting until the server has exited. */
    void stop();

    void restart();

    @Override
    default void close() {
        stop();
    }
}
