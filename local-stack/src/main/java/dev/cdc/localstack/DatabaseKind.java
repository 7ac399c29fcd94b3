package dev.cdc.localstack;

import java.nio.file.Path;
import java.util.Locale;

/** Which server a {@link LocalDatabase} runs. */
public enum DatabaseKind {
    MARIADB,
    MYSQL;

    /** Initialises {@code dataDir} if it is empty and starts a server of this kind; port 0 picks a free one. */
    public LocalDatabase start(Path dataDir, int port, String... extraServerArgs) {
        return switch (this) {
            case MARIADB -> LocalMariaDb.start(dataDir, port, extraServerArgs);
            case MYSQL -> LocalMySql.start(dataDir, port, extraServerArgs);
        };
    }

    /** "mysql" or "mariadb" (any case); anything else is a one-line error naming the accepted values. */
    public static DatabaseKind parse(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "mysql" -> MYSQL;
            case "mariadb" -> MARIADB;
            default -> throw new IllegalArgumentException("Unknown database '" + name + "': use mysql or mariadb");
        };
    }

    public String displayName() {
        return this == MYSQL ? "MySQL" : "MariaDB";
    }
}
