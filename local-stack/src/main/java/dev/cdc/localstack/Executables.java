package dev.cdc.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds programs on PATH, including the sbin sibling of each bin directory (where Debian puts servers). */
final class Executables {

    private Executables() {
    }

    static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(":")) {
            for (String candidate : new String[] {dir, dir.replace("/bin", "/sbin")}) {
                Path p = Path.of(candidate, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }
}
