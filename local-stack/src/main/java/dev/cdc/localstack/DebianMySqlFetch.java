package dev.cdc.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches Debian unstable's {@code mysql-server-core} (the MySQL LTS line) with its whole dependency closure and
 * unpacks it into a private directory, without touching the system: apt runs with its own sources list, package
 * lists, cache and an empty dpkg status (so it resolves every dependency), and nothing is installed. The closure is
 * resolved by apt on every fetch (sid moves); the unpacked result is cached as {@code mysql-<version>} and reused.
 * A file lock keeps two JVMs from fetching at the same time.
 */
final class DebianMySqlFetch {

    private static final Logger log = LoggerFactory.getLogger(DebianMySqlFetch.class);
    static final String PACKAGE = "mysql-server-core";
    private static final String SUITE = "sid";
    private static final Path KEYRING = Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");
    private static final String DEFAULT_MIRROR = "http://deb.debian.org/debian";
    private static final String COMPLETE = ".complete";

    private final Path cacheDir;

    DebianMySqlFetch(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    /** The unpacked root (it has usr/sbin/mysqld): a cached one, else fetched now. */
    synchronized Path root() {
        Optional<Path> cached = cached();
        if (cached.isPresent()) {
            return cached.get();
        }
        checkMachine();
        try {
            Files.createDirectories(cacheDir);
            try (FileChannel channel = FileChannel.open(cacheDir.resolve("mysql.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                // Another JVM may have fetched it while this one waited for the lock.
                Optional<Path> fetchedMeanwhile = cached();
                return fetchedMeanwhile.isPresent() ? fetchedMeanwhile.get() : fetch();
            }
        } catch (IOException e) {
            throw new MySqlUnavailableException("Could not fetch MySQL from Debian's archive into " + cacheDir + ": " + e.getMessage(), e);
        }
    }

    /** The newest complete unpacked MySQL in the cache. */
    Optional<Path> cached() {
        if (!Files.isDirectory(cacheDir)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(cacheDir)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("mysql-") && Files.exists(d.resolve(COMPLETE)))
                    .max(Comparator.comparing(d -> d.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void checkMachine() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            throw new MySqlUnavailableException("not Linux (" + System.getProperty("os.name") + "): Debian's MySQL build cannot run here", true);
        }
        for (String tool : List.of("apt-get", "dpkg")) {
            if (Executables.onPath(tool).isEmpty()) {
                throw new MySqlUnavailableException("no " + tool + " on PATH (not Debian/Ubuntu): cannot fetch MySQL from Debian's archive", true);
            }
        }
        if (!Files.isReadable(KEYRING)) {
            throw new MySqlUnavailableException("no Debian archive keyring (" + KEYRING + "): cannot verify Debian's archive", true);
        }
    }

    private Path fetch() throws IOException {
        long started = System.nanoTime();
        Path work = cacheDir.resolve("mysql-fetch.tmp");
        MariaDbBinaries.deleteTree(work);
        Path lists = Files.createDirectories(work.resolve("lists/partial"));
        Path archives = Files.createDirectories(work.resolve("archives/partial"));
        Path aptCache = Files.createDirectories(work.resolve("apt-cache"));
        Path sources = work.resolve("sources.list");
        String mirror = AptSources.debianMirror().orElse(DEFAULT_MIRROR);
        Files.writeString(sources, "deb [signed-by=" + KEYRING + "] " + mirror + " " + SUITE + " main\n");
        Path emptyStatus = Files.writeString(work.resolve("status"), "");
        List<String> apt = List.of("apt-get", "-q", "-y",
                "-o", "Dir::Etc::sourcelist=" + sources, "-o", "Dir::Etc::sourceparts=-",
                "-o", "Dir::State::Lists=" + lists.getParent(), "-o", "Dir::State::status=" + emptyStatus,
                "-o", "Dir::Cache=" + aptCache, "-o", "Dir::Cache::archives=" + archives.getParent(),
                "-o", "APT::Install-Recommends=false",
                // The system's pins (e.g. a low priority for unstable) must not decide what this private setup fetches.
                "-o", "Dir::Etc::preferences=" + work.resolve("preferences"),
                "-o", "Dir::Etc::preferencesparts=" + Files.createDirectories(work.resolve("preferences.d")),
                // Our own file lock serialises fetches; apt must not wait for (or take) the system's dpkg lock.
                "-o", "Debug::NoLocking=true");
        Path aptLog = work.resolve("apt.log");
        run(concat(apt, "update"), aptLog, "apt-get update against " + mirror + " " + SUITE);
        run(concat(apt, "install", "--download-only", PACKAGE), aptLog, "apt-get install --download-only " + PACKAGE);
        List<Path> debs;
        try (Stream<Path> files = Files.list(archives.getParent())) {
            debs = files.filter(f -> f.toString().endsWith(".deb")).sorted().toList();
        }
        String version = debs.stream().map(d -> d.getFileName().toString()).filter(n -> n.startsWith(PACKAGE + "_"))
                .map(n -> n.split("_")[1].replaceFirst("-[^-]*$", "")).findFirst()
                .orElseThrow(() -> new MySqlUnavailableException("apt fetched no " + PACKAGE + " package; see " + aptLog, false));
        Path root = work.resolve("root");
        long bytes = 0;
        for (Path deb : debs) {
            bytes += Files.size(deb);
            run(List.of("dpkg", "-x", deb.toString(), root.toString()), aptLog, "dpkg -x " + deb.getFileName());
        }
        if (!Files.isRegularFile(root.resolve("usr/sbin/mysqld"))) {
            throw new MySqlUnavailableException("the unpacked " + PACKAGE + " has no usr/sbin/mysqld; see " + aptLog, false);
        }
        Path target = cacheDir.resolve("mysql-" + version);
        MariaDbBinaries.deleteTree(target);
        Files.move(root, target);
        Files.writeString(target.resolve(COMPLETE), version + "\n");
        MariaDbBinaries.deleteTree(work);
        log.info("Fetched MySQL {} from Debian {} ({} packages, {} MB) into {} in {} s", version, SUITE, debs.size(),
                bytes / 1_000_000, target, String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9));
        return target;
    }

    private static List<String> concat(List<String> base, String... more) {
        List<String> out = new ArrayList<>(base);
        out.addAll(List.of(more));
        return out;
    }

    private static void run(List<String> command, Path logFile, String what) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new MySqlUnavailableException(what + " did not finish within 10 minutes; see " + logFile, false);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MySqlUnavailableException(what + " was interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new MySqlUnavailableException(what + " failed (exit " + p.exitValue() + "): " + lastLine(logFile), false);
        }
    }

    private static String lastLine(Path file) {
        String tail = LocalMariaDb.tail(file).strip();
        return tail.substring(tail.lastIndexOf('\n') + 1);
    }
}
