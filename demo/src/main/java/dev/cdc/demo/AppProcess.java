package dev.cdc.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One app (connector or processor) in its own JVM, so that kill -9, SIGSTOP and SIGCONT are real.
 * Secrets go in through the environment, never on the command line.
 */
public final class AppProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private AppProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public static AppProcess start(String name, Path jar, Map<String, String> systemProperties, Map<String, String> environment,
                                   Path logDir, String maxHeap) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + maxHeap);
        // Small-footprint JVM settings (the connector's target is <= 512 MiB RSS under load); see the README.
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:ReservedCodeCacheSize=64m");
        cmd.add("-XX:MaxDirectMemorySize=64m");
        cmd.add("-Xss512k");
        List<String> sharing = ClassArchive.options(jar);
        cmd.addAll(sharing);
        systemProperties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar.toString());
        try {
            Files.createDirectories(logDir);
            // One log file per process: a restarted instance must not find its predecessor's lines.
            Path log = logDir.resolve(name + ".log");
            for (int n = 2; Files.exists(log); n++) {
                log = logDir.resolve(name + "-" + n + ".log");
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(environment);
            Process process = null;
            try {
                process = pb.start();
            } finally {
                ClassArchive.started(jar, sharing, process);
            }
            return new AppProcess(name, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name + ": " + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits until the log contains {@code text}; false on timeout or when the process died first. */
    public boolean awaitLog(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (logText().contains(text)) {
                return true;
            }
            if (!process.isAlive()) {
                return logText().contains(text);
            }
            sleep(100);
        }
        return false;
    }

    /** SIGKILL: no shutdown hook runs, no lease is released. */
    public void kill9() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void pause() {
        signal("STOP");
    }

    public void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM, so the app shuts down cleanly (a connector releases its lease); SIGKILL after the timeout. */
    public void stop(Duration timeout) {
        if (!process.isAlive()) {
            return;
        }
        resume();
        process.destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill9();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(20));
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
