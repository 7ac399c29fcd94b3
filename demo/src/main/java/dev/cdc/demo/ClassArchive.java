package dev.cdc.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Class-data sharing for the app JVMs of one test run (on with {@code -Ddemo.class-sharing=true}, which the demo
 * module's integration tests set): the first instance of an app jar records the classes it loaded into an archive
 * when it shuts down cleanly, and every later instance maps that archive instead of reading and verifying the same
 * classes again, which roughly halves the CPU time of an app's start. The apps run the same code either way; a JVM
 * that cannot use the archive (another JDK, a changed jar) loads its classes as usual.
 *
 * <p>One archive per jar copy ({@link AppJars} copies each jar once per run), written next to it and deleted with it.
 * A recording JVM that was killed leaves an incomplete file, which is dropped; the next instance records again (twice
 * at most).
 */
final class ClassArchive {

    private static final boolean ENABLED = Boolean.getBoolean("demo.class-sharing")
            && System.getProperty("java.vm.info", "").contains("sharing"); // HotSpot with its base archive

    /** Per jar: the instance recording the archive (its process once started), until the archive is promoted or dropped. */
    private static final Map<Path, Recording> RECORDINGS = new HashMap<>();
    /**
     * Recordings per jar and run. A recording is lost when its JVM is killed, also when a stop times out while it writes
     * the archive (seconds of CPU, longer on a loaded machine); after two such losses the run goes on without one.
     */
    private static final int MAX_RECORDINGS = 2;
    private static final Map<Path, Integer> ATTEMPTS = new HashMap<>();

    private static final class Recording {
        final Path file;
        Process process;

        Recording(Path file) {
            this.file = file;
        }

        boolean finished() {
            return process != null && !process.isAlive();
        }
    }

    private ClassArchive() {
    }

    /** JVM options for a new instance of {@code jar}; {@link #started} must follow with its process. */
    static synchronized List<String> options(Path jar) {
        if (!ENABLED) {
            return List.of();
        }
        Path archive = archive(jar);
        Recording recording = RECORDINGS.get(jar);
        if (recording != null && recording.finished()) {
            RECORDINGS.remove(jar);
            promote(recording, archive);
        }
        if (Files.exists(archive)) {
            return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
        }
        if (RECORDINGS.containsKey(jar) || ATTEMPTS.getOrDefault(jar, 0) >= MAX_RECORDINGS) {
            return List.of(); // another instance is recording, or recording failed too often
        }
        ATTEMPTS.merge(jar, 1, Integer::sum);
        Path file = jar.resolveSibling(jar.getFileName() + ".jsa.recording");
        file.toFile().deleteOnExit();
        RECORDINGS.put(jar, new Recording(file));
        return List.of("-XX:ArchiveClassesAtExit=" + file, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }

    /** The process started with {@code options}; null when it could not be started. */
    static synchronized void started(Path jar, List<String> options, Process process) {
        Recording recording = RECORDINGS.get(jar);
        if (recording != null && recording.process == null && options.contains("-XX:ArchiveClassesAtExit=" + recording.file)) {
            if (process == null) {
                RECORDINGS.remove(jar);
            } else {
                recording.process = process;
            }
        }
    }

    /** A clean shutdown (exit 0, or 143 after SIGTERM) wrote the whole archive; anything else may have left part of one. */
    private static void promote(Recording recording, Path archive) {
        int exit = recording.process.exitValue();
        try {
            if ((exit == 0 || exit == 143) && Files.exists(recording.file) && Files.size(recording.file) > 0) {
                Files.move(recording.file, archive, StandardCopyOption.ATOMIC_MOVE);
                archive.toFile().deleteOnExit();
            } else {
                Files.deleteIfExists(recording.file);
            }
        } catch (IOException e) {
            // no archive: later instances record again or start without one
        }
    }

    private static Path archive(Path jar) {
        return jar.resolveSibling(jar.getFileName() + ".jsa");
    }
}
