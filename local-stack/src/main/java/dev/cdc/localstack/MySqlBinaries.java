package dev.cdc.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Where the MySQL server comes from, in this order: the directory in {@code CDC_MYSQL_HOME} (or the system property
 * {@code cdc.mysql.home}); a MySQL (not MariaDB) {@code mysqld} on PATH; else Debian unstable's
 * {@code mysql-server-core}, fetched once with apt into {@code ~/.cache/cdc-local-stack/mysql-<version>}
 * ({@link DebianMySqlFetch}). An unpacked archive build runs through its own dynamic loader and libraries, since
 * it needs a newer glibc and libstdc++ than a stable Debian has.
 *
 * @param command the words that start mysqld (the loader and its library path first, for an unpacked build)
 * @param baseDir mysqld's --basedir
 * @param messagesDir mysqld's --lc-messages-dir
 */
public record MySqlBinaries(List<String> command, Path baseDir, Path messagesDir) {

    static final Path CACHE = Path.of(System.getProperty("user.home"), ".cache", "cdc-local-stack");

    /** The MySQL server of this machine, fetching it if needed; a {@link MySqlUnavailableException} says why there is none. */
    public static MySqlBinaries locate() {
        String home = Optional.ofNullable(System.getProperty("cdc.mysql.home")).orElse(System.getenv("CDC_MYSQL_HOME"));
        if (home != null && !home.isBlank()) {
            return fromDirectory(Path.of(home));
        }
        Optional<Path> onPath = Executables.onPath("mysqld").filter(MySqlBinaries::isMySql);
        if (onPath.isPresent()) {
            Path base = onPath.get().toAbsolutePath().getParent().getParent();
            return new MySqlBinaries(List.of(onPath.get().toString()), base, base.resolve("share/mysql"));
        }
        return unpacked(new DebianMySqlFetch(CACHE).root());
    }

    /**
     * For tests: empty when MySQL is here (fetched if needed), else why this machine cannot run it at all (not
     * Linux, no apt). A failed fetch on a machine that could run it is thrown, not excused.
     */
    public static Optional<String> whyUnsupported() {
        try {
            locate();
            return Optional.empty();
        } catch (MySqlUnavailableException e) {
            if (e.machineUnsupported()) {
                return Optional.of("MySQL unavailable: " + e.getMessage());
            }
            throw e;
        }
    }

    private static MySqlBinaries fromDirectory(Path dir) {
        if (Files.isRegularFile(dir.resolve("usr/sbin/mysqld"))) {
            return unpacked(dir);
        }
        for (String sub : List.of("bin/mysqld", "sbin/mysqld")) {
            if (Files.isExecutable(dir.resolve(sub))) {
                return new MySqlBinaries(List.of(dir.resolve(sub).toString()), dir, dir.resolve("share/mysql"));
            }
        }
        throw new MySqlUnavailableException("CDC_MYSQL_HOME=" + dir + " has no bin/mysqld, sbin/mysqld or usr/sbin/mysqld: "
                + "point it at a MySQL installation or unset it", false);
    }

    /** An unpacked Debian tree: mysqld runs through the tree's own loader with the tree's libraries first. */
    static MySqlBinaries unpacked(Path root) {
        String triplet = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64-linux-gnu";
            case "aarch64", "arm64" -> "aarch64-linux-gnu";
            default -> throw new MySqlUnavailableException("unsupported CPU architecture " + System.getProperty("os.arch")
                    + " for the unpacked MySQL build", true);
        };
        Path libs = root.resolve("usr/lib").resolve(triplet);
        String loaderName = triplet.startsWith("x86_64") ? "ld-linux-x86-64.so.2" : "ld-linux-aarch64.so.1";
        List<String> command = new ArrayList<>();
        Path loader = libs.resolve(loaderName);
        if (Files.exists(loader)) {
            String libraryPath = Files.isDirectory(root.resolve("lib").resolve(triplet))
                    ? root.resolve("lib").resolve(triplet) + ":" + libs : libs.toString();
            command.addAll(List.of(loader.toString(), "--library-path", libraryPath));
        }
        command.add(root.resolve("usr/sbin/mysqld").toString());
        return new MySqlBinaries(command, root.resolve("usr"), root.resolve("usr/share/mysql"));
    }

    /** Debian's mariadb-server also installs a {@code mysqld}; only a real MySQL counts. */
    private static boolean isMySql(Path mysqld) {
        try {
            Process p = new ProcessBuilder(mysqld.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.contains("MariaDB");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
