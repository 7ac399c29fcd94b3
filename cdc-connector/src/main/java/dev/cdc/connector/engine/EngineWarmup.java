package dev.cdc.connector.engine;

import dev.cdc.connector.source.SourceFlavor;
import io.debezium.connector.mariadb.antlr.MariaDbAntlrDdlParser;
import io.debezium.connector.mysql.antlr.MySqlAntlrDdlParser;
import io.debezium.relational.Tables;
import java.io.File;
import java.net.URL;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a standby ready to lead fast, without opening a binlog connection: loads the classes an engine start
 * needs and warms the DDL parser that replays the schema history (ANTLR builds its caches on first use).
 * A cold JVM otherwise spends most of a failover loading and interpreting that code.
 */
public final class EngineWarmup {

    private static final Logger log = LoggerFactory.getLogger(EngineWarmup.class);
    private static final List<String> PACKAGES = List.of("io/debezium/", "org/apache/kafka/connect/", "org/apache/kafka/clients/",
            "org/apache/kafka/common/", "com/github/shyiko/", "org/antlr/v4/runtime/", "org/mariadb/jdbc/", "com/mysql/cj/");
    private static final String WARMUP_DDL = "CREATE TABLE warmup.t (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, "
            + "name VARCHAR(100) CHARACTER SET utf8mb4 NOT NULL, amount DECIMAL(12,2), at DATETIME(6), ts TIMESTAMP(3) NULL, "
            + "kind ENUM('a','b'), flags SET('x','y'), doc JSON, data BLOB, KEY ix (name)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";

    private EngineWarmup() {
    }

    /** Runs in a low-priority daemon thread; harmless if the instance starts leading meanwhile. */
    public static void startInBackground(SourceFlavor flavor) {
        Thread t = new Thread(() -> run(flavor), "engine-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    static void run(SourceFlavor flavor) {
        long started = System.nanoTime();
        int loaded = preloadClasses();
        try {
            Tables tables = new Tables();
            for (int i = 0; i < 3; i++) {
                if (flavor == SourceFlavor.MARIADB) {
                    new MariaDbAntlrDdlParser().parse(WARMUP_DDL, tables);
                } else {
                    new MySqlAntlrDdlParser().parse(WARMUP_DDL, tables);
                }
            }
        } catch (RuntimeException | LinkageError e) {
            log.debug("DDL parser warm-up: {}", e.toString());
        }
        log.info("Engine warm-up done in {} ms ({} classes loaded)", (System.nanoTime() - started) / 1_000_000, loaded);
    }

    private static int preloadClasses() {
        URL location = EngineWarmup.class.getProtectionDomain().getCodeSource().getLocation();
        File file;
        try {
            file = new File(location.toURI());
        } catch (Exception e) {
            return 0;
        }
        if (!file.isFile()) {
            return 0; // running from classes folders (tests): the classpath is not one jar, skip
        }
        ClassLoader loader = EngineWarmup.class.getClassLoader();
        int loaded = 0;
        try (JarFile jar = new JarFile(file)) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (!name.endsWith(".class") || name.contains("module-info") || PACKAGES.stream().noneMatch(name::startsWith)) {
                    continue;
                }
                try {
                    Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, loader);
                    loaded++;
                } catch (Throwable ignored) {
                    // optional dependencies of unused features are absent; skip them
                }
            }
        } catch (Exception e) {
            log.debug("Class preload: {}", e.toString());
        }
        return loaded;
    }
}
