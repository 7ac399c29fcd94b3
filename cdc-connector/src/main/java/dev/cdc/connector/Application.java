package dev.cdc.connector;

import dev.cdc.contract.OperatorFailure;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;

/**
 * Starts one connector instance; run two with the same cdc.name for an active and a standby. A failed startup check
 * prints one line, {@code cdc-connector: <what is wrong>. Fix: <what to do>.}, on stderr and exits with the code of its
 * {@link dev.cdc.contract.ExitStatus}.
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        ApplicationContext context = Micronaut.build(args).mainClass(Application.class).banner(false).start();
        try {
            context.getBean(ConnectorService.class).start();
        } catch (OperatorFailure e) {
            System.err.println(e.line("cdc-connector"));
            context.close();
            System.exit(e.status().code());
        }
    }
}
