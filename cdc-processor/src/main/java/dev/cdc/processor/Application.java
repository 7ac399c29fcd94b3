package dev.cdc.processor;

import dev.cdc.contract.OperatorFailure;
import io.micronaut.context.env.Environment;
import io.micronaut.runtime.Micronaut;

/**
 * The processor: consumes the change topics {@code <cdc.topic-prefix>.<db>.<table>} and applies them to the target
 * database once each (see the micronaut-kafka listener {@code dev.cdc.processor.consumer.ChangeListener}). Required settings:
 * {@code cdc.topic-prefix}, {@code kafka.bootstrap.servers}, {@code datasources.default.url/username/password}.
 * A failed startup prints one line, {@code cdc-processor: <what is wrong>. Fix: <what to do>.}, on stderr and exits with the
 * code of its {@link dev.cdc.contract.ExitStatus} (2 for configuration, 3 for an unreachable server).
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        new Launcher().mainClass(Application.class).args(args).start();
    }

    /** A startup failure as an operator failure: a startup check's own, else the innermost cause's message as a configuration error. */
    static OperatorFailure startupFailure(Throwable failure) {
        OperatorFailure known = OperatorFailure.in(failure);
        if (known != null) {
            return known;
        }
        Throwable innermost = failure;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            innermost = t;
        }
        String message = innermost.getMessage() == null ? innermost.getClass().getName() : innermost.getMessage();
        // Micronaut's bean errors: keep the part that names the property and drop the injection path.
        int resolving = message.indexOf("Error resolving property value");
        if (resolving >= 0) {
            message = message.substring(resolving);
        }
        int path = message.indexOf("Path Taken:");
        if (path > 0) {
            message = message.substring(0, path);
        }
        return new OperatorFailure(dev.cdc.contract.ExitStatus.CONFIGURATION, "startup failed: " + oneLine(message),
                "correct the configuration named above (application.yml, environment variables or -D system properties)", failure);
    }

    private static String oneLine(String message) {
        String line = message.replaceAll("\\s+", " ").trim();
        return line.length() > 1000 ? line.substring(0, 1000) + "..." : line;
    }

    /** Micronaut's launcher, but a failed start ends with one line instead of a stack trace. */
    static final class Launcher extends Micronaut {
        @Override
        protected void handleStartupException(Environment environment, Throwable exception) {
            if (environment != null && environment.getActiveNames().contains(Environment.TEST)) {
                super.handleStartupException(environment, exception);
                return;
            }
            OperatorFailure failure = startupFailure(exception);
            System.err.println(failure.line("cdc-processor"));
            System.err.flush();
            System.exit(failure.status().code());
        }
    }
}
