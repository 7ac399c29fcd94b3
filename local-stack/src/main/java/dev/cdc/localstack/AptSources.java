package dev.cdc.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Reads the Debian mirror this machine's apt already uses, so a private fetch goes to the same place. */
final class AptSources {

    private static final Path ETC_APT = Path.of("/etc/apt");

    private AptSources() {
    }

    /** The first Debian (not security) archive URI in /etc/apt's sources, deb822 or one-line format. */
    static Optional<String> debianMirror() {
        List<String> uris = new ArrayList<>();
        for (Path file : sourceFiles()) {
            try {
                for (String line : Files.readAllLines(file)) {
                    String l = line.strip();
                    if (l.startsWith("URIs:")) {
                        uris.addAll(List.of(l.substring("URIs:".length()).strip().split("\\s+")));
                    } else if (l.startsWith("deb ")) {
                        for (String word : l.split("\\s+")) {
                            if (word.contains("://")) {
                                uris.add(word);
                                break;
                            }
                        }
                    }
                }
            } catch (IOException e) {
                // An unreadable sources file only means we fall back to the default mirror.
            }
        }
        return uris.stream().filter(u -> u.endsWith("/debian") || u.endsWith("/debian/")).findFirst()
                .map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
    }

    private static List<Path> sourceFiles() {
        List<Path> files = new ArrayList<>();
        Path one = ETC_APT.resolve("sources.list");
        if (Files.isRegularFile(one)) {
            files.add(one);
        }
        Path dir = ETC_APT.resolve("sources.list.d");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> list = Files.list(dir)) {
                list.filter(f -> f.toString().endsWith(".sources") || f.toString().endsWith(".list")).sorted().forEach(files::add);
            } catch (IOException e) {
                // as above
            }
        }
        return files;
    }
}
