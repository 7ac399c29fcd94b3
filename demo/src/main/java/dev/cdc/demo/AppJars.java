package dev.cdc.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Finds the runnable app jars built by the reactor ({@code <module>/target/<module>-<version>-all.jar}). */
public final class AppJars {

    private AppJars() {
    }

    private static final java.util.Map<String, Path> COPIES = new java.util.concurrent.ConcurrentHashMap<>();

    public static Path connector() {
        return copy("cdc-connector");
    }

    public static Path processor() {
        return copy("cdc-processor");
    }

    /** Runs apps from a private copy, so that a rebuild of the module during a run cannot pull the jar from under them. */
    private static Path copy(String module) {
        return COPIES.computeIfAbsent(module, m -> {
            Path jar = find(m);
            try {
                Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "cdc-app-jars"));
                Path copy = Files.createTempFile(dir, m + "-", ".jar");
                Files.copy(jar, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                copy.toFile().deleteOnExit();
                return copy;
            } catch (IOException e) {
                throw new UncheckedIOException("Could not copy " + jar + ": " + e.getMessage(), e);
            }
        });
    }

    private static Path find(String module) {
        String configured = System.getProperty(module + ".jar");
        if (configured != null && Files.exists(Path.of(configured))) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path target = dir.resolve(module).resolve("target");
            if (Files.isDirectory(target)) {
                try (Stream<Path> files = Files.list(target)) {
                    Path jar = files.filter(p -> p.getFileName().toString().endsWith("-all.jar")).findFirst().orElse(null);
                    if (jar != null) {
                        return jar;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("No " + module + "/target/*-all.jar: build it first with ./mvnw -pl " + module + " -am package -DskipTests");
    }
}
